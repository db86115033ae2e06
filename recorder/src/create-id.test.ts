import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from './wire/format';
import { createId, type IdCrypto } from './create-id';

describe('createId', () => {
  it('uses randomUUID when the context offers it', () => {
    const id = createId({ randomUUID: () => '3f8a1c2e-0000-4000-8000-000000000001', getRandomValues: (a) => a });
    expect(id).toBe('3f8a1c2e-0000-4000-8000-000000000001');
    expect(id).toMatch(ID_PATTERN);
  });

  it('falls back to 16 random bytes as 32 hex characters without randomUUID', () => {
    const id = createId({
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
        const bytes = array as unknown as Uint8Array;
        bytes.forEach((_, i) => (bytes[i] = i * 17));
        return array;
      },
    });
    expect(id).toBe('00112233445566778899aabbccddeeff');
    expect(id).toMatch(ID_PATTERN);
  });

  it('real crypto gives distinct ids matching ID_PATTERN on both paths', () => {
    const insecure = { getRandomValues: webcrypto.getRandomValues.bind(webcrypto) } as IdCrypto;
    const ids = [createId(webcrypto as unknown as Crypto), createId(insecure), createId(insecure)];
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set(ids).size).toBe(3);
  });
});
