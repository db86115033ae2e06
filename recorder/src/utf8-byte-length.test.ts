import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8-byte-length';

describe('utf8ByteLength', () => {
  it('matches TextEncoder for ASCII, 2-, 3- and 4-byte characters', () => {
    const samples = ['', 'abc', 'é', '€', '😀', 'a€😀é', '{"k":"Grüße"}'];
    expect(samples.map(utf8ByteLength)).toEqual([0, 3, 2, 3, 4, 10, 15]);
    for (const s of samples) expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('counts a lone surrogate as the 3-byte replacement character', () => {
    expect(utf8ByteLength('\ud800x')).toBe(4);
    expect(new TextEncoder().encode('\ud800x').length).toBe(4);
  });
});
