import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeStoredBatch, replaceEscapedNul } from './decode-stored-batch';

describe('replaceEscapedNul', () => {
  it('replaces each escaped U+0000 with U+FFFD, and leaves an escaped backslash followed by the text u0000 alone', () => {
    const strings = ['a\u0000b', '\u0000\u0000', '\\u0000', '\\\u0000', '\\\\u0000', 'no nul'];
    const parsed = JSON.parse(replaceEscapedNul(JSON.stringify(strings))) as string[];
    expect(parsed).toEqual(['a\ufffdb', '\ufffd\ufffd', '\\u0000', '\\\ufffd', '\\\\u0000', 'no nul']);
  });

  it('returns JSON without one unchanged', () => {
    const json = JSON.stringify({ text: 'plain \\ text', n: 1 });
    expect(replaceEscapedNul(json)).toBe(json);
  });
});

describe('decodeStoredBatch', () => {
  it('hands the events over with U+FFFD where the page sent U+0000', () => {
    const body = gzipSync(JSON.stringify({ url: 'https://shop.example/', events: [{ type: 5, timestamp: 1, data: { tag: 'x', payload: { userId: 'u\u0000' } } }] }));
    const { events } = decodeStoredBatch(body);
    expect(JSON.stringify(events)).not.toContain('\\u0000');
    expect((events[0] as unknown as { data: { payload: { userId: string } } }).data.payload.userId).toBe('u\ufffd');
  });
});
