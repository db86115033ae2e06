import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';

describe('base64', () => {
  it('round-trips every byte value, past one 32 KiB chunk, as Node encodes it', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    const text = toBase64(bytes);
    expect(bytes.length).toBeGreaterThan(0x8000);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(text, undefined)).toEqual(bytes);
  });

  it('handles an empty array', () => {
    expect(toBase64(new Uint8Array())).toBe('');
    expect(fromBase64('', undefined)).toEqual(new Uint8Array());
  });

  it("uses the engine's own base64 where it has one", () => {
    const bytes = Object.assign(new Uint8Array([1, 2, 3]), { toBase64: () => 'native' });
    expect(toBase64(bytes)).toBe('native');
    const decoded = new Uint8Array([9]);
    expect(fromBase64('AQID', (text) => (text === 'AQID' ? decoded : new Uint8Array()))).toBe(decoded);
  });
});
