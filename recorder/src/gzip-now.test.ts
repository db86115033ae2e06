import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBatchNow, gzipNow } from './gzip-now';

const recording = readFileSync(new URL('../../test/fixtures/recordings/checkout-visit.json', import.meta.url), 'utf8');

describe('gzipNow', () => {
  it.each([
    ['nothing', ''],
    ['one character', 'a'],
    ['text outside ASCII, surrogate pairs included', 'Grüße, € 12 😀 — ünïcödé '.repeat(300)],
    ['a run longer than the longest match', 'x'.repeat(100_000)],
    ['repeats further back than the window', randomBytes(40_000).toString('base64').repeat(2)],
    ['every character up to U+00FF', String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i)).repeat(20)],
    ['a real rrweb recording', recording],
  ])('gives gzip that inflates back to the UTF-8 of %s', (_, text) => {
    const compressed = gzipNow(text);
    expect([compressed[0], compressed[1], compressed[2]]).toEqual([0x1f, 0x8b, 8]);
    expect(gunzipSync(compressed).toString('utf8')).toBe(text);
  });

  it('compresses rrweb JSON to within 1.5x of zlib at its default level', () => {
    const ours = gzipNow(recording).length;
    const zlib = gzipSync(recording).length;
    expect(ours).toBeLessThan(zlib * 1.5);
    expect(ours).toBeLessThan(recording.length / 6);
  });

  it('makes a batch of gzip bytes with no body left to copy', () => {
    const body = JSON.stringify({ v: 1, events: [{ type: 4 }] });
    const batch = gzipBatchNow({ sessionId: 'sess-aaaa', seq: 3, events: 1, body, parts: [body] });
    expect(batch).toMatchObject({ sessionId: 'sess-aaaa', seq: 3, events: 1, body: '', parts: undefined });
    expect(gunzipSync(batch.gzip!).toString()).toBe(body);
  });
});
