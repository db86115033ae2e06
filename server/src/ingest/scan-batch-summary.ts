// Reads from a batch body only what storage keeps (its ids, URL and a summary of its events), building no event.
import { ID_PATTERN, MAX_EVENTS_PER_BATCH, WIRE_FORMAT_VERSION } from '../../../recorder/src/wire/format';
import { MAX_EVENT_TYPE, MAX_URL_LENGTH, MIN_EVENT_TYPE, PAGE_URL_PATTERN } from './batch-schema';
import { BATCH_KEYS, BatchScanner, END } from './scan-batch-json';
import { Byte, byteAt, failAt, skipJsonSpace, skipJsonString, skipJsonValue } from './skip-json';
import type { BatchSummary } from './store-batch';

/** rrweb's Meta and FullSnapshot event types: a replay can start at a Meta with a full snapshot after it. */
const META = 4;
const FULL_SNAPSHOT = 2;

/** What summarizeEvents leaves of an events array: one object reused, so a batch allocates none for it. */
interface EventsSummary {
  count: number;
  first: number;
  last: number;
  snapshot: number | null;
}
const eventsSummary: EventsSummary = { count: 0, first: 0, last: 0, snapshot: null };

/** summarizeEvents' answer for an events value it does not vouch for (an event the schema might refuse). */
const UNSURE = -1;
/** Up to this many digits an integer read digit by digit is exact (10^15 < 2^53). */
const MAX_EXACT_DIGITS = 15;

/** An event's keys as eventKey names them. */
const enum EventKey {
  Type,
  Timestamp,
  Data,
  /** Any other key, which is skipped. */
  Other,
  /** A key written with escapes: it could be any of them, so the fast path gives up. */
  Escaped,
}

const TIMESTAMP = Buffer.from('timestamp', 'latin1');

/** The key whose string runs from the quote at `quote` to `end`, just past its closing quote. */
function eventKey(bytes: Buffer, quote: number, end: number): EventKey {
  const length = end - quote - 2;
  const a = bytes[quote + 1];
  if (length === 4) {
    // "type" and "data"
    if (a === 0x74 && bytes[quote + 2] === 0x79 && bytes[quote + 3] === 0x70 && bytes[quote + 4] === 0x65) return EventKey.Type;
    if (a === 0x64 && bytes[quote + 2] === 0x61 && bytes[quote + 3] === 0x74 && bytes[quote + 4] === 0x61) return EventKey.Data;
  } else if (length === 9) {
    let j = 0;
    while (j < 9 && bytes[quote + 1 + j] === TIMESTAMP[j]) j++;
    if (j === 9) return EventKey.Timestamp;
  }
  for (let j = quote + 1; j < end - 1; j++) if (bytes[j] === Byte.Backslash) return EventKey.Escaped;
  return EventKey.Other;
}

/**
 * At the events array's `[`: the index past its `]`, with the summary in eventsSummary, or UNSURE
 * at the first event the schema might refuse or that is written unusually (a key with escapes, a
 * number other than a plain integer), which the full decode then judges. A plain function over
 * local variables, as skipJsonValue is: as methods moving the scanner's position, these checks
 * cost as much as skipping the events' data did.
 */
function summarizeEvents(bytes: Buffer, i: number): number {
  const length = bytes.length;
  let count = 0;
  let first = Infinity;
  let last = -Infinity;
  let meta: number | null = null;
  let snapshot: number | null = null;
  i = skipJsonSpace(bytes, i + 1);
  if (byteAt(bytes, i) === Byte.CloseBracket) return UNSURE; // No events: refused.
  for (;;) {
    if (byteAt(bytes, i) !== Byte.OpenBrace || ++count > MAX_EVENTS_PER_BATCH) return UNSURE;
    // Not a number (NaN) until read as one; `data` counts only as an object.
    let type = NaN;
    let time = NaN;
    let hasData = false;
    i = skipJsonSpace(bytes, i + 1);
    if (byteAt(bytes, i) === Byte.CloseBrace) {
      i++;
    } else {
      for (;;) {
        if (byteAt(bytes, i) !== Byte.Quote) failAt(i);
        const keyEnd = skipJsonString(bytes, i);
        const key = eventKey(bytes, i, keyEnd);
        if (key === EventKey.Escaped) return UNSURE;
        i = skipJsonSpace(bytes, keyEnd);
        if (byteAt(bytes, i) !== Byte.Colon) failAt(i);
        i = skipJsonSpace(bytes, i + 1);
        if (key === EventKey.Type || key === EventKey.Timestamp) {
          // A plain integer, read as it is checked; any other value leaves the decision to the full decode.
          const start = i;
          let value = 0;
          let byte = byteAt(bytes, i);
          while (byte >= Byte.Zero && byte <= Byte.Nine) {
            value = value * 10 + (byte - Byte.Zero);
            byte = ++i < length ? bytes[i]! : -1;
          }
          const digits = i - start;
          if (digits === 0 || digits > MAX_EXACT_DIGITS || (digits > 1 && bytes[start] === Byte.Zero)) return UNSURE;
          if (byte === Byte.Dot || byte === Byte.LowerE || byte === Byte.UpperE) return UNSURE;
          if (key === EventKey.Type) type = value;
          else time = value;
        } else {
          if (key === EventKey.Data) hasData = byteAt(bytes, i) === Byte.OpenBrace;
          i = skipJsonValue(bytes, i);
        }
        i = skipJsonSpace(bytes, i);
        const next = byteAt(bytes, i++);
        if (next === Byte.CloseBrace) break;
        if (next !== Byte.Comma) failAt(i - 1);
        i = skipJsonSpace(bytes, i);
      }
    }
    // The envelope the schema checks (batch-schema.ts envelopeIssue).
    if (!(type >= MIN_EVENT_TYPE && type <= MAX_EVENT_TYPE) || !(time <= Number.MAX_SAFE_INTEGER) || !hasData) return UNSURE;
    // As summarizeBatch: the span as min/max, and the first Meta with a full snapshot after it.
    if (time < first) first = time;
    if (time > last) last = time;
    if (type === META) meta ??= time;
    else if (type === FULL_SNAPSHOT && meta !== null) snapshot ??= meta;

    i = skipJsonSpace(bytes, i);
    const next = byteAt(bytes, i++);
    if (next === Byte.CloseBracket) {
      eventsSummary.count = count;
      eventsSummary.first = first;
      eventsSummary.last = last;
      eventsSummary.snapshot = snapshot;
      return i;
    }
    if (next !== Byte.Comma) failAt(i - 1);
    i = skipJsonSpace(bytes, i);
  }
}

/**
 * The same walk as BatchScanner, but each event's envelope is checked and folded into the
 * summary as it is read instead of being built (an object, its `data` and an array slot per
 * event), so a batch leaves only its few strings behind: those objects, zod's copy of them and
 * summarizeBatch's pass over them were a tenth of the route's CPU and most of its garbage.
 *
 * It only ever says yes: a body it does not accept in full (bad JSON, a field or envelope the
 * schema might refuse) gives undefined, and the caller decodes it the full way, which says why.
 * So it may be stricter than the schema but never looser (its test checks that against the
 * schema on thousands of mutated batches).
 */
class BatchSummaryScanner extends BatchScanner {
  summarize(): BatchSummary | undefined {
    const bytes = this.bytes;
    this.pos = skipJsonSpace(bytes, 0);
    if (byteAt(bytes, this.pos) !== Byte.OpenBrace) return undefined;
    let v: unknown, sessionId: unknown, seq: unknown, pageId: unknown, url: unknown, sentAt: unknown, final: unknown;
    let events: EventsSummary | undefined;
    // As in readBatch: literal names, and a repeated key keeps its last value.
    for (let index = this.firstKey(BATCH_KEYS); index !== END; index = this.nextKey(BATCH_KEYS)) {
      switch (index) {
        case 0: v = this.readLeaf(); break;
        case 1: sessionId = this.readLeaf(); break;
        case 2: seq = this.readLeaf(); break;
        case 3: pageId = this.readLeaf(); break;
        case 4: url = this.readLeaf(); break;
        case 5: sentAt = this.readLeaf(); break;
        case 6: {
          if (byteAt(bytes, this.pos) !== Byte.OpenBracket) return undefined;
          const end = summarizeEvents(bytes, this.pos);
          if (end === UNSURE) return undefined;
          this.pos = end;
          events = eventsSummary;
          break;
        }
        case 7: final = this.readLeaf(); break;
        default: this.pos = skipJsonValue(bytes, this.pos);
      }
    }
    this.pos = skipJsonSpace(bytes, this.pos);
    if (this.pos !== bytes.length) failAt(this.pos);
    if (
      v !== WIRE_FORMAT_VERSION ||
      typeof sessionId !== 'string' || !ID_PATTERN.test(sessionId) ||
      typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0 ||
      typeof pageId !== 'string' || !ID_PATTERN.test(pageId) ||
      typeof url !== 'string' || url.length < 1 || url.length > MAX_URL_LENGTH || !PAGE_URL_PATTERN.test(url) ||
      typeof sentAt !== 'number' || !(sentAt >= 0 && sentAt <= Number.MAX_SAFE_INTEGER) ||
      (final !== undefined && final !== true) ||
      events === undefined
    ) {
      return undefined;
    }
    // Integer ms, as summarizeBatch stores them.
    const { count, first, last, snapshot } = events;
    return {
      sessionId,
      seq,
      pageId,
      url,
      firstTs: Math.floor(first),
      lastTs: Math.floor(last),
      eventCount: count,
      snapshotTs: snapshot === null ? null : Math.floor(snapshot),
    };
  }
}

/**
 * What storage needs of a batch body whose JSON is valid and which the schema accepts, or
 * undefined when the fast checks do not vouch for it (the body may still be valid). Throws
 * JsonSyntaxError where JSON.parse would throw, though on a body it gives up on early it may not
 * have looked that far.
 */
export function scanBatchSummary(bytes: Buffer): BatchSummary | undefined {
  return new BatchSummaryScanner(bytes).summarize();
}
