// Seeded edits of a valid input (bytes deleted, pieces inserted or written over), for tests that hold two parsers to the same answer on broken input.

/** A seeded linear congruential generator returning integers in [0, n): a failing case reproduces from its seed. */
export function seededInts(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
}

/** `original` with 1 to `maxEdits` edits, each a deletion of one byte, an insertion of a piece, or a piece written over the bytes at a place. */
export function mutateBytes(original: Buffer, pieces: readonly Buffer[], random: (n: number) => number, maxEdits: number): Buffer {
  let text = original;
  for (let edits = 1 + random(maxEdits); edits > 0; edits--) {
    const at = random(text.length + 1);
    const kind = random(3);
    const piece = pieces[random(pieces.length)]!;
    if (kind === 0) text = Buffer.concat([text.subarray(0, at), text.subarray(at + 1)]);
    else if (kind === 1) text = Buffer.concat([text.subarray(0, at), piece, text.subarray(at)]);
    else text = Buffer.concat([text.subarray(0, at), piece, text.subarray(at + piece.length)]);
  }
  return text;
}
