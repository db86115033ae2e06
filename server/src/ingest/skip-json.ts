// Validates JSON text in place, byte by byte, without building any value: the fast half of scan-batch-json.
//
// Each function takes the UTF-8 bytes and the index of a token's first byte, and returns the index
// just past it, or throws JsonSyntaxError where JSON.parse would throw. They are plain functions
// over local variables with no allocation, since the skipped part of a batch (rrweb's snapshot and
// mutation payloads) is nearly all of it. Measured on the checkout fixture (7.5 KB batches), this
// shape skips a batch in 12 µs; the same checks as methods moving `this.pos`, or with whitespace,
// numbers and literals in helpers of their own, took 18 to 22 µs, as V8 stopped inlining them.

/** Thrown for any input JSON.parse would refuse; nothing else is thrown on purpose. */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';
}

/**
 * The bytes the grammar needs. A const enum, because esbuild (tsx, vitest) then writes each as a
 * literal: plain module-level constants stay variable loads in V8's optimized code, and measured
 * that made skipJsonValue 30% slower.
 */
export const enum Byte {
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  Colon = 0x3a,
  Minus = 0x2d,
  Zero = 0x30,
  Nine = 0x39,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  Plus = 0x2b,
  Dot = 0x2e,
  Space = 0x20,
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  LowerE = 0x65,
  UpperE = 0x45,
  LowerU = 0x75,
}

export function failAt(index: number): never {
  throw new JsonSyntaxError(`Invalid JSON at byte ${index}`);
}

/** The byte at `i`, or -1 past the end, so that no comparison with a byte value can match. */
export function byteAt(bytes: Uint8Array, i: number): number {
  return i < bytes.length ? bytes[i]! : -1;
}

export function isDigit(byte: number): boolean {
  return byte >= Byte.Zero && byte <= Byte.Nine;
}

function isHexDigit(byte: number): boolean {
  const lower = byte | 0x20;
  return (byte >= Byte.Zero && byte <= Byte.Nine) || (lower >= 0x61 && lower <= 0x66);
}

/**
 * JSON whitespace is exactly space, tab, Byte.Lf and Byte.Cr (not NBSP, not a BOM). Every test
 * here starts with `<= Byte.Space`: batches are JSON.stringify's output, without whitespace, so
 * the byte after nearly every token is settled with one comparison instead of four.
 */
function isSpace(byte: number): boolean {
  return byte <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab);
}

export function skipJsonSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  return i;
}

/** The escape whose backslash is at `i` (rare, so kept out of the string loop); returns the index past it. */
function skipEscape(bytes: Uint8Array, i: number): number {
  const kind = byteAt(bytes, i + 1);
  if (kind === Byte.LowerU) {
    for (let h = i + 2; h < i + 6; h++) if (!isHexDigit(byteAt(bytes, h))) failAt(h);
    return i + 6;
  }
  // \" \\ \/ \b \f \n \r \t
  if (kind === Byte.Quote || kind === Byte.Backslash || kind === 0x2f || kind === 0x62 || kind === 0x66 || kind === 0x6e || kind === 0x72 || kind === 0x74) {
    return i + 2;
  }
  return failAt(i);
}

/**
 * From the opening quote. Bytes of 0x80 and up pass unchecked: invalid UTF-8 is not a JSON
 * error here, since Buffer#toString turns it into U+FFFD before JSON.parse would see it.
 */
export function skipJsonString(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  i++;
  for (;;) {
    if (i >= length) failAt(i);
    const byte = bytes[i]!;
    if (byte > Byte.Backslash) {
      i++; // Lowercase letters and UTF-8 sequences: the common case first.
      continue;
    }
    if (byte === Byte.Quote) return i + 1;
    if (byte === Byte.Backslash) {
      i = skipEscape(bytes, i);
      continue;
    }
    if (byte < Byte.Space) failAt(i); // A raw control character.
    i++;
  }
}

/** From a key's opening quote past the key, the colon and the whitespace after it. */
function skipJsonKey(bytes: Uint8Array, i: number, length: number): number {
  if (i >= length || bytes[i] !== Byte.Quote) failAt(i);
  i = skipJsonString(bytes, i);
  let byte: number;
  while (i < length && ((byte = bytes[i]!) <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab))) i++;
  if (i >= length || bytes[i] !== Byte.Colon) failAt(i);
  i++;
  while (i < length && ((byte = bytes[i]!) <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab))) i++;
  return i;
}

/**
 * Whether each open container is an object (1) or an array (0). Shared scratch space, grown on
 * demand, so depth is bounded by the body size rather than the call stack; skipJsonValue never
 * calls itself, so one buffer is enough.
 */
let openKinds = new Uint8Array(64);

/**
 * Any JSON value starting at `i` (no leading whitespace), however deeply nested. Whitespace,
 * numbers and literals are checked inline with plain comparisons, not helper calls: with the
 * helpers V8 ran out of inlining budget and this loop took 22 µs a batch instead of 12.
 */
export function skipJsonValue(bytes: Uint8Array, i: number): number {
  const length = bytes.length;
  let depth = 0;
  let byte: number;
  for (;;) {
    // Here a value starts.
    byte = i < length ? bytes[i]! : -1;
    if (byte === Byte.Quote) {
      i = skipJsonString(bytes, i);
    } else if (byte === Byte.OpenBrace || byte === Byte.OpenBracket) {
      const close = byte === Byte.OpenBrace ? Byte.CloseBrace : Byte.CloseBracket;
      i++;
      while (i < length && ((byte = bytes[i]!) <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab))) i++;
      if (i < length && bytes[i] === close) {
        i++;
      } else {
        if (depth === openKinds.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(openKinds);
          openKinds = grown;
        }
        const isObject = close === Byte.CloseBrace;
        openKinds[depth++] = isObject ? 1 : 0;
        if (isObject) i = skipJsonKey(bytes, i, length);
        continue;
      }
    } else if (byte === Byte.Minus || (byte >= Byte.Zero && byte <= Byte.Nine)) {
      // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
      if (byte === Byte.Minus) byte = ++i < length ? bytes[i]! : -1;
      if (byte === Byte.Zero) i++;
      else if (byte > Byte.Zero && byte <= Byte.Nine) do i++; while (i < length && (byte = bytes[i]!) >= Byte.Zero && byte <= Byte.Nine);
      else failAt(i);
      byte = i < length ? bytes[i]! : -1;
      if (byte === Byte.Dot) {
        byte = ++i < length ? bytes[i]! : -1;
        if (!(byte >= Byte.Zero && byte <= Byte.Nine)) failAt(i);
        do i++; while (i < length && (byte = bytes[i]!) >= Byte.Zero && byte <= Byte.Nine);
        byte = i < length ? bytes[i]! : -1;
      }
      if (byte === Byte.LowerE || byte === Byte.UpperE) {
        byte = ++i < length ? bytes[i]! : -1;
        if (byte === Byte.Plus || byte === Byte.Minus) byte = ++i < length ? bytes[i]! : -1;
        if (!(byte >= Byte.Zero && byte <= Byte.Nine)) failAt(i);
        do i++; while (i < length && (byte = bytes[i]!) >= Byte.Zero && byte <= Byte.Nine);
      }
    } else if (byte === 0x74 && byteAt(bytes, i + 1) === 0x72 && byteAt(bytes, i + 2) === 0x75 && byteAt(bytes, i + 3) === 0x65) {
      i += 4; // true
    } else if (byte === 0x6e && byteAt(bytes, i + 1) === 0x75 && byteAt(bytes, i + 2) === 0x6c && byteAt(bytes, i + 3) === 0x6c) {
      i += 4; // null
    } else if (
      byte === 0x66 && byteAt(bytes, i + 1) === 0x61 && byteAt(bytes, i + 2) === 0x6c && byteAt(bytes, i + 3) === 0x73 && byteAt(bytes, i + 4) === 0x65
    ) {
      i += 5; // false
    } else {
      failAt(i);
    }
    // Here a value ended: close containers until a comma leads to the next value.
    for (;;) {
      if (depth === 0) return i;
      while (i < length && ((byte = bytes[i]!) <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab))) i++;
      byte = i < length ? bytes[i]! : -1;
      const inObject = openKinds[depth - 1] === 1;
      if (byte === Byte.Comma) {
        i++;
        while (i < length && ((byte = bytes[i]!) <= Byte.Space && (byte === Byte.Space || byte === Byte.Lf || byte === Byte.Cr || byte === Byte.Tab))) i++;
        if (inObject) i = skipJsonKey(bytes, i, length);
        break;
      }
      if (byte !== (inObject ? Byte.CloseBrace : Byte.CloseBracket)) failAt(i);
      depth--;
      i++;
    }
  }
}
