import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchFrame } from './batch-frames';
import { AHEAD_FRESH_MS, INFLATE_AHEAD, InflatedAhead, inflateFrame } from './inflated-ahead';

const batchBody = (seq: number) => new Uint8Array(gzipSync(JSON.stringify({ v: 1, seq, events: [{ type: 3, timestamp: seq, data: { seq } }] })));
const frame = (seq: number, body = batchBody(seq)): BatchFrame => ({ seq, body });

afterEach(() => {
  vi.useRealTimers();
});

describe('InflatedAhead', () => {
  it('hands out each batch inflated ahead once, for the same session, seq and bytes, with the asking frame', async () => {
    const ahead = new InflatedAhead();
    const frames = Array.from({ length: INFLATE_AHEAD * 2 + 1 }, (_, seq) => frame(seq));
    ahead.start('s1', frames);
    // The loader's own copy of the same answer: equal bytes, another buffer.
    const copy = frame(3, frames[3]!.body.slice());
    const taken = ahead.take('s1', copy);
    expect(taken).not.toBeNull();
    const inflated = await taken!;
    expect(inflated.frame).toBe(copy);
    expect(inflated.events).toEqual([{ type: 3, timestamp: 3, data: { seq: 3 } }]);
    expect(ahead.take('s1', copy)).toBeNull();
    // Every batch comes back in full, the last ones too (they wait for earlier ones to finish).
    const rest = await Promise.all(frames.filter((f) => f.seq !== 3).map((f) => ahead.take('s1', f)!));
    expect(rest.map((r) => r.events[0]!.timestamp)).toEqual(frames.filter((f) => f.seq !== 3).map((f) => f.seq));
  });

  it('does not hand out a batch of another session, another seq, or different bytes', () => {
    const ahead = new InflatedAhead();
    ahead.start('s1', [frame(1), frame(2)]);
    expect(ahead.take('s2', frame(1))).toBeNull();
    expect(ahead.take('s1', frame(9))).toBeNull();
    expect(ahead.take('s1', frame(2, batchBody(20)))).toBeNull();
  });

  it('reports a damaged batch as the loader would, with its error and no events', async () => {
    const ahead = new InflatedAhead();
    const damaged = frame(4, new Uint8Array([0x1f, 0x8b, 0, 0]));
    ahead.start('s1', [damaged]);
    const inflated = await ahead.take('s1', damaged)!;
    expect(inflated.events).toEqual([]);
    expect(inflated.error).toBeDefined();
  });

  it('inflates no more than its JSON budget ahead, and inflates the rest when asked', async () => {
    const Native = globalThis.DecompressionStream;
    let inflations = 0;
    globalThis.DecompressionStream = class extends Native {
      constructor(format: CompressionFormat) {
        super(format);
        inflations++;
      }
    };
    try {
      const ahead = new InflatedAhead();
      const frames = Array.from({ length: INFLATE_AHEAD * 3 }, (_, seq) => frame(seq));
      const oneBatchBytes = (await inflateFrame(frames[0]!)).bytes;
      inflations = 0;
      await ahead.start('s1', frames, oneBatchBytes * (INFLATE_AHEAD + 1));
      // Each batch starts once the one INFLATE_AHEAD places before it is done: the budget is spent within the first 2 * INFLATE_AHEAD.
      expect(inflations).toBeGreaterThan(INFLATE_AHEAD);
      expect(inflations).toBeLessThanOrEqual(INFLATE_AHEAD * 2);
      const taken = await Promise.all(frames.map((f) => ahead.take('s1', f)!));
      expect(taken.map((t) => t.events[0]!.timestamp)).toEqual(frames.map((f) => f.seq));
      // The rest once each: none twice.
      expect(inflations).toBe(frames.length);
    } finally {
      globalThis.DecompressionStream = Native;
    }
  });

  it(`drops what was not asked for within ${AHEAD_FRESH_MS / 1000} s`, () => {
    vi.useFakeTimers();
    const ahead = new InflatedAhead();
    ahead.start('s1', [frame(1), frame(2)]);
    expect(ahead.take('s1', frame(1))).not.toBeNull();
    vi.advanceTimersByTime(AHEAD_FRESH_MS);
    expect(ahead.take('s1', frame(2))).toBeNull();
  });
});
