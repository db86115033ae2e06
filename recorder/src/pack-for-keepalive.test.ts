import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { OutgoingBatch } from './delivery/batch-queue';
import { PACK_MAX_CHARS, packForKeepalive, type BatchMaker } from './pack-for-keepalive';

/** Batches as JSON arrays of the events, with the seq and last flag the maker was given. */
function maker() {
  let next = 10;
  const made: Array<[seq: number, events: number, last: boolean]> = [];
  const m: BatchMaker = {
    takeSeq: () => next++,
    make(events, seq, last) {
      made.push([seq, events.length, last]);
      const body = JSON.stringify({ seq, last, events: events.map((e) => JSON.parse(e)) });
      return { sessionId: 'sess-aaaa', seq, events: events.length, body };
    },
  };
  return { m, made };
}

const read = (batch: OutgoingBatch) => JSON.parse(batch.gzip ? gunzipSync(batch.gzip).toString() : batch.body) as { seq: number; last: boolean; events: unknown[] };
/** An event of about `chars` characters that gzip cannot shrink. */
const noise = (i: number, chars: number) => JSON.stringify({ i, noise: randomBytes(Math.ceil((chars * 3) / 4)).toString('base64') });
/** An event that gzip shrinks a hundredfold. */
const repeat = (i: number, chars: number) => JSON.stringify({ i, text: 'Merino sock, size 36 × 2: €12.34 '.repeat(Math.ceil(chars / 33)) });

describe('packForKeepalive', () => {
  it('gzips a tail that fits into one batch, the last of the page', () => {
    const { m, made } = maker();
    const events = Array.from({ length: 40 }, (_, i) => repeat(i, 5_000)); // 200 KB of JSON
    const [batch, ...more] = packForKeepalive(events, m, 60_000);
    expect(more).toEqual([]);
    expect(batch!.gzip!.length).toBeLessThan(10_000);
    expect(read(batch!)).toEqual({ seq: 10, last: true, events: events.map((e) => JSON.parse(e)) });
    expect(made).toEqual([[10, 40, true]]);
  });

  it('halves a group until its gzip fits, keeping order and one seq per batch, only the last one last', () => {
    const { m } = maker();
    const events = Array.from({ length: 8 }, (_, i) => noise(i, 20_000)); // 160 KB that gzip cannot shrink
    const batches = packForKeepalive(events, m, 60_000);
    expect(batches.map((b) => [b.seq, b.events])).toEqual([[10, 2], [11, 2], [12, 2], [13, 2]]);
    for (const batch of batches) expect(batch.gzip!.length).toBeLessThanOrEqual(60_000);
    expect(batches.map((b) => read(b).last)).toEqual([false, false, false, true]);
    expect(batches.flatMap((b) => read(b).events)).toEqual(events.map((e) => JSON.parse(e)));
  });

  it('gives an event too large for any body a batch of its own, and does not compress one over PACK_MAX_CHARS', () => {
    const { m } = maker();
    const events = [repeat(0, 100), noise(1, 70_000), repeat(2, 100), noise(3, PACK_MAX_CHARS + 1_000)];
    const batches = packForKeepalive(events, m, 60_000);
    expect(batches.map((b) => [b.seq, b.events, !!b.gzip])).toEqual([[10, 1], [11, 1], [12, 1], [13, 1]].map(([seq, n], i) => [seq, n, i < 3]));
    expect(batches.flatMap((b) => read(b).events)).toEqual(events.map((e) => JSON.parse(e)));
    expect(read(batches[3]!).last).toBe(true);
  });

  it('makes no batch of no events', () => {
    expect(packForKeepalive([], maker().m, 60_000)).toEqual([]);
  });
});
