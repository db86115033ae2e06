// Checks that a batch body is valid JSON in one pass and builds only the envelope the schema checks.
import {
  Byte,
  byteAt,
  failAt,
  isDigit,
  skipJsonSpace,
  skipJsonString,
  skipJsonValue,
} from './skip-json';

export { JsonSyntaxError } from './skip-json';

/** Up to this many digits an integer accumulates exactly in a double (10^15 < 2^53). */
const MAX_EXACT_DIGITS = 15;

/** Key names with their bytes, so unescaped keys are matched in place without making strings. */
export interface KeySet {
  names: readonly string[];
  bytes: readonly Uint8Array[];
}
const keySet = (names: readonly string[]): KeySet => ({ names, bytes: names.map((name) => Buffer.from(name, 'latin1')) });

/** Keys built at the top level and in each event; every other key's value is checked, not built. */
export const BATCH_KEYS = keySet(['v', 'sessionId', 'seq', 'pageId', 'url', 'sentAt', 'events', 'final']);
export const EVENT_KEYS = keySet(['type', 'timestamp', 'data']);
/** What firstKey and nextKey return once an object has no more members. */
export const END = -2;

/**
 * Why not JSON.parse: on a 50-event batch with a full snapshot it builds thousands of small
 * objects the server never reads (the gzip body is stored as received), and that parse plus the
 * young-generation GC after it was a third of the server's CPU per batch. The scanner accepts
 * exactly what JSON.parse accepts on the UTF-8 text (its test checks this against JSON.parse on
 * thousands of mutated batches) but builds only the batch's fields and each event's `type`,
 * `timestamp` and `data`. A container that is not built becomes an empty object or array, which
 * is all the envelope schema looks at (`data` must be an object). Like JSON.parse, a repeated key
 * keeps its last value.
 */
export class BatchScanner {
  protected pos = 0;

  constructor(protected readonly bytes: Buffer) {}

  scan(): unknown {
    this.pos = skipJsonSpace(this.bytes, 0);
    const value = byteAt(this.bytes, this.pos) === Byte.OpenBrace ? this.readBatch() : this.readLeaf();
    this.pos = skipJsonSpace(this.bytes, this.pos);
    if (this.pos !== this.bytes.length) failAt(this.pos);
    return value;
  }

  private readBatch(): Record<string, unknown> {
    // Fields are stored under literal names, one switch arm each: a computed key would make
    // every store a slow dictionary-style lookup.
    const batch: Record<string, unknown> = {};
    for (let index = this.firstKey(BATCH_KEYS); index !== END; index = this.nextKey(BATCH_KEYS)) {
      switch (index) {
        case 0: batch.v = this.readLeaf(); break;
        case 1: batch.sessionId = this.readLeaf(); break;
        case 2: batch.seq = this.readLeaf(); break;
        case 3: batch.pageId = this.readLeaf(); break;
        case 4: batch.url = this.readLeaf(); break;
        case 5: batch.sentAt = this.readLeaf(); break;
        case 6: batch.events = byteAt(this.bytes, this.pos) === Byte.OpenBracket ? this.readEvents() : this.readLeaf(); break;
        case 7: batch.final = this.readLeaf(); break;
        default: this.pos = skipJsonValue(this.bytes, this.pos);
      }
    }
    return batch;
  }

  private readEvents(): unknown[] {
    const events: unknown[] = [];
    const bytes = this.bytes;
    this.pos = skipJsonSpace(bytes, this.pos + 1);
    if (byteAt(bytes, this.pos) === Byte.CloseBracket) {
      this.pos++;
      return events;
    }
    for (;;) {
      events.push(byteAt(bytes, this.pos) === Byte.OpenBrace ? this.readEvent() : this.readLeaf());
      this.pos = skipJsonSpace(bytes, this.pos);
      const next = byteAt(bytes, this.pos++);
      if (next === Byte.CloseBracket) return events;
      if (next !== Byte.Comma) failAt(this.pos - 1);
      this.pos = skipJsonSpace(bytes, this.pos);
    }
  }

  private readEvent(): Record<string, unknown> {
    const event: Record<string, unknown> = {};
    for (let index = this.firstKey(EVENT_KEYS); index !== END; index = this.nextKey(EVENT_KEYS)) {
      switch (index) {
        case 0: event.type = this.readLeaf(); break;
        case 1: event.timestamp = this.readLeaf(); break;
        case 2: event.data = this.readLeaf(); break;
        default: this.pos = skipJsonValue(this.bytes, this.pos);
      }
    }
    return event;
  }

  /** At an object's `{`: END when it is empty, else reads its first key (see readKey). */
  protected firstKey(wanted: KeySet): number {
    this.pos = skipJsonSpace(this.bytes, this.pos + 1);
    if (byteAt(this.bytes, this.pos) !== Byte.CloseBrace) return this.readKey(wanted);
    this.pos++;
    return END;
  }

  /** After a member's value: END past the closing `}`, else reads the next key (see readKey). */
  protected nextKey(wanted: KeySet): number {
    const bytes = this.bytes;
    this.pos = skipJsonSpace(bytes, this.pos);
    const next = byteAt(bytes, this.pos++);
    if (next === Byte.CloseBrace) return END;
    if (next !== Byte.Comma) failAt(this.pos - 1);
    this.pos = skipJsonSpace(bytes, this.pos);
    return this.readKey(wanted);
  }

  /** Reads a key and its colon, leaving the cursor at the value; returns the key's index in `wanted`, or -1. */
  private readKey(wanted: KeySet): number {
    const bytes = this.bytes;
    const quote = this.pos;
    if (byteAt(bytes, quote) !== Byte.Quote) failAt(quote);
    const keyEnd = skipJsonString(bytes, quote);
    const index = this.matchKey(wanted, quote, keyEnd);
    this.pos = skipJsonSpace(bytes, keyEnd);
    if (byteAt(bytes, this.pos) !== Byte.Colon) failAt(this.pos);
    this.pos = skipJsonSpace(bytes, this.pos + 1);
    return index;
  }

  /** Index in `wanted` of the validated key string from `quote` to `end` (past its closing quote), or -1. */
  private matchKey(wanted: KeySet, quote: number, end: number): number {
    const bytes = this.bytes;
    const start = quote + 1;
    end--;
    candidates: for (let k = 0; k < wanted.bytes.length; k++) {
      const candidate = wanted.bytes[k]!;
      if (candidate.length !== end - start) continue;
      for (let j = 0; j < candidate.length; j++) if (byteAt(bytes, start + j) !== candidate[j]) continue candidates;
      return k;
    }
    // "\u0074ype" is the key "type" to JSON.parse, so a key with escapes is compared decoded.
    return this.hasEscape(quote, end + 1) ? wanted.names.indexOf(this.decodeString(quote, end + 1)) : -1;
  }

  /** A value built only when it is a string, number, boolean or null; containers become empty ones. */
  protected readLeaf(): unknown {
    const bytes = this.bytes;
    const start = this.pos;
    const byte = byteAt(bytes, start);
    if (byte === Byte.Quote) {
      this.pos = skipJsonString(bytes, start);
      return this.decodeString(start, this.pos);
    }
    // Integers are nearly every number here (type, timestamp, seq, sentAt): read in one pass rather
    // than skipped by skipJsonValue and then read again. Anything else (a fraction, an exponent,
    // a leading zero, too many digits) takes the general path below.
    if (byte >= Byte.Zero && byte <= Byte.Nine) {
      const length = bytes.length;
      let value = byte - Byte.Zero;
      let j = start + 1;
      let next = -1;
      while (j < length && (next = bytes[j]!) >= Byte.Zero && next <= Byte.Nine) {
        value = value * 10 + (next - Byte.Zero);
        j++;
      }
      const ended = j >= length || (next !== Byte.Dot && (next | 0x20) !== Byte.LowerE);
      if (ended && j - start <= MAX_EXACT_DIGITS && (byte !== Byte.Zero || j === start + 1)) {
        this.pos = j;
        return value;
      }
    }
    // skipJsonValue checks the rest (containers, numbers, literals); then the first byte says which.
    this.pos = skipJsonValue(bytes, start);
    if (byte === Byte.OpenBrace) return {};
    if (byte === Byte.OpenBracket) return [];
    if (byte === Byte.Minus || isDigit(byte)) return this.decodeNumber(start, this.pos);
    return byte === 0x74 ? true : byte === 0x66 ? false : null;
  }


  /** The validated string from its opening quote to `end`, just past its closing quote. */
  private decodeString(quote: number, end: number): string {
    // Its escapes were validated while skipping, so JSON.parse of the quoted slice cannot fail.
    if (this.hasEscape(quote, end)) return JSON.parse(this.bytes.toString('utf8', quote, end)) as string;
    return this.bytes.toString('utf8', quote + 1, end - 1);
  }

  private hasEscape(quote: number, end: number): boolean {
    for (let j = quote + 1; j < end - 1; j++) if (byteAt(this.bytes, j) === Byte.Backslash) return true;
    return false;
  }

  /** The validated number token from `start` to `end`. */
  private decodeNumber(start: number, end: number): number {
    const bytes = this.bytes;
    const negative = byteAt(bytes, start) === Byte.Minus;
    const digits = negative ? start + 1 : start;
    // The common case, a short integer (type, seq, a timestamp), is summed without making a string.
    if (end - digits <= MAX_EXACT_DIGITS) {
      let value = 0;
      let j = digits;
      for (; j < end && isDigit(byteAt(bytes, j)); j++) value = value * 10 + (bytes[j]! - Byte.Zero);
      if (j === end) return negative ? -value : value;
    }
    return Number(bytes.toString('latin1', start, end));
  }
}

/** The batch's envelope when `bytes` is valid JSON text; throws JsonSyntaxError where JSON.parse would throw. */
export function scanBatchJson(bytes: Buffer): unknown {
  return new BatchScanner(bytes).scan();
}
