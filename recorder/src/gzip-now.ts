// Gzips synchronously, in plain JavaScript: for the last flush of a page, which cannot wait for CompressionStream.
import type { OutgoingBatch } from './delivery/batch-queue';

/** Matches are looked for this far back: deflate's whole window. */
const WINDOW = 32768;
/** Longest match we emit (258 has a code of its own; stopping at 257 keeps one rule for all lengths). */
const MAX_MATCH = 257;
/** Earlier places with the same three bytes tried per position: enough for rrweb's repeated JSON, bounded for a long tail. */
const CHAIN = 16;
/** A match this long is good enough: stop looking for a longer one. */
const NICE_MATCH = 64;

/** CRC-32 (gzip's checksum), one entry per byte value. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  for (let k = 0; k < 8; k++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1;
  return n;
});

/**
 * One deflate block with the fixed Huffman codes (RFC 1951, 3.2.6: no tables to build or send),
 * LZ77 over hash chains. rrweb's JSON comes out 1.2 to 1.6 times the size zlib makes of it, in a
 * few hundred bytes of bundle and a few milliseconds per 100 KB.
 */
export function gzipNow(text: string): Uint8Array<ArrayBuffer> {
  const input = new TextEncoder().encode(text);
  const n = input.length;
  // Worst case 9 bits a byte, plus gzip's header and trailer.
  const out = new Uint8Array(((n * 9) >> 3) + 32);
  out.set([31, 139, 8, 0, 0, 0, 0, 0, 0, 255]);
  let at = 10;
  let bits = 0;
  let count = 0;
  const put = (value: number, width: number) => {
    bits |= value << count;
    for (count += width; count >= 8; count -= 8) (out[at++] = bits), (bits >>>= 8);
  };
  // Huffman codes go most significant bit first: reversed into the LSB-first stream.
  const code = (value: number, width: number) => {
    let reversed = 0;
    for (let i = 0; i < width; i++) reversed = (reversed << 1) | ((value >> i) & 1);
    put(reversed, width);
  };
  const symbol = (s: number) => (s < 144 ? code(48 + s, 8) : s < 256 ? code(256 + s, 9) : s < 280 ? code(s - 256, 7) : code(s - 88, 8));
  /**
   * A length (3..257) or distance (1..32768) as its code and extra bits. From code `flat` on,
   * codes come in runs of 1 << shift, each run with one extra bit more than the one before.
   */
  const span = (value: number, first: number, flat: number, shift: number, offset: number, huffman: (c: number) => void) => {
    let c = 0;
    let extra = 0;
    for (let base = first; ; c++, base += 1 << extra) {
      extra = c < flat ? 0 : (c >> shift) - 1;
      if (value < base + (1 << extra)) {
        huffman(c + offset);
        return put(value - base, extra);
      }
    }
  };
  const head = new Int32Array(1 << 15).fill(-1);
  const prev = new Int32Array(n);
  const hash = (i: number) => ((input[i]! << 10) ^ (input[i + 1]! << 5) ^ input[i + 2]!) & 0x7fff;
  const insert = (i: number) => {
    if (i + 2 < n) {
      const h = hash(i);
      prev[i] = head[h]!;
      head[h] = i;
    }
  };
  put(3, 3); // the last block, fixed codes
  for (let i = 0; i < n; ) {
    let length = 0;
    let distance = 0;
    if (i + 2 < n) {
      const limit = Math.min(MAX_MATCH, n - i);
      for (let j = head[hash(i)]!, tries = CHAIN; j >= 0 && i - j <= WINDOW && tries-- && length < NICE_MATCH; j = prev[j]!) {
        // A candidate that differs where the best so far ends cannot beat it.
        if (input[j + length] != input[i + length]) continue;
        let k = 0;
        while (k < limit && input[j + k] == input[i + k]) k++;
        if (k > length) (length = k), (distance = i - j);
      }
    }
    if (length > 2) {
      span(length, 3, 8, 2, 257, symbol);
      span(distance, 1, 4, 1, 0, (c) => code(c, 5));
      for (const end = i + length; i < end; i++) insert(i);
    } else {
      symbol(input[i]!);
      insert(i++);
    }
  }
  symbol(256);
  put(0, 7); // to the byte boundary
  let crc = -1;
  for (let i = 0; i < n; i++) crc = CRC_TABLE[(crc ^ input[i]!) & 255]! ^ (crc >>> 8);
  for (const word of [~crc, n]) for (let k = 0; k < 4; k++) out[at++] = word >>> (8 * k);
  return out.slice(0, at);
}

/** The batch with its body gzipped, as the sender posts and stores compressed batches. */
export function gzipBatchNow(batch: OutgoingBatch): OutgoingBatch {
  return { ...batch, body: '', parts: undefined, gzip: gzipNow(batch.body) };
}
