import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGzip } from './gzip';

describe('createGzip', () => {
  it('is null where CompressionStream is missing', () => {
    expect(createGzip({})).toBeNull();
  });

  it('produces gzip that inflates back to the UTF-8 text', async () => {
    const gzip = createGzip(globalThis)!;
    const text = JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ i, title: 'Grüße 😀' })) });
    const compressed = await gzip(text);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(compressed.length).toBeLessThan(text.length / 4);
    expect(gunzipSync(compressed).toString('utf8')).toBe(text);
  });
});
