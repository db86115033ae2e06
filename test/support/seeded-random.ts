// A small seeded pseudo-random generator, so load and fuzz runs can be repeated exactly from their seed.

/**
 * Marsaglia's xorshift32 (Journal of Statistical Software 8(14), 2003) with the shift triple
 * (13, 17, 5), scaled to [0, 1). Not for anything secret; plenty for choosing test inputs.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}
