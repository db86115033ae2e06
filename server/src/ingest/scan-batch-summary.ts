// Reads from a batch body only what storage keeps (its ids, URL and a summary of its events), building no event.
import { ID_PATTERN, MAX_EVENTS_PER_BATCH, WIRE_FORMAT_VERSION } from '../../../recorder/src/wire/format';
import { MAX_EVENT_TYPE, MAX_URL_LENGTH, MIN_EVENT_TYPE, PAGE_URL_PATTERN } from './batch-schema';
import { BATCH_KEYS, BatchScanner, END, EVENT_KEYS } from './scan-batch-json';
import { Byte, byteAt, failAt, skipJsonSpace, skipJsonValue } from './skip-json';
import type { BatchSummary } from './store-batch';

/** rrweb's Meta and FullSnapshot event types: a replay can start at a Meta with a full snapshot after it. */
const META = 4;
const FULL_SNAPSHOT = 2;

interface EventsSummary {
  count: number;
  first: number;
  last: number;
  snapshot: number | null;
}

/** Marks an events value the fast path does not vouch for (not an array, or an event it would refuse). */
const UNSURE = null;

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
    let events: EventsSummary | typeof UNSURE = UNSURE;
    // As in readBatch: literal names, and a repeated key keeps its last value.
    for (let index = this.firstKey(BATCH_KEYS); index !== END; index = this.nextKey(BATCH_KEYS)) {
      switch (index) {
        case 0: v = this.readLeaf(); break;
        case 1: sessionId = this.readLeaf(); break;
        case 2: seq = this.readLeaf(); break;
        case 3: pageId = this.readLeaf(); break;
        case 4: url = this.readLeaf(); break;
        case 5: sentAt = this.readLeaf(); break;
        case 6:
          if (byteAt(bytes, this.pos) !== Byte.OpenBracket) return undefined;
          events = this.summarizeEvents();
          if (events === UNSURE) return undefined;
          break;
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
      events === UNSURE
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

  /** At the events array's `[`: its summary, or UNSURE at the first event the schema might refuse. */
  private summarizeEvents(): EventsSummary | typeof UNSURE {
    const bytes = this.bytes;
    let count = 0;
    let first = Infinity;
    let last = -Infinity;
    let meta: number | null = null;
    let snapshot: number | null = null;
    this.pos = skipJsonSpace(bytes, this.pos + 1);
    if (byteAt(bytes, this.pos) === Byte.CloseBracket) return UNSURE; // No events: refused.
    for (;;) {
      if (byteAt(bytes, this.pos) !== Byte.OpenBrace || ++count > MAX_EVENTS_PER_BATCH) return UNSURE;
      // Not a number (NaN) until read as one; `data` counts only as an object.
      let type = NaN;
      let time = NaN;
      let hasData = false;
      for (let index = this.firstKey(EVENT_KEYS); index !== END; index = this.nextKey(EVENT_KEYS)) {
        switch (index) {
          case 0: type = this.readNumber(); break;
          case 1: time = this.readNumber(); break;
          case 2:
            hasData = byteAt(bytes, this.pos) === Byte.OpenBrace;
            this.pos = skipJsonValue(bytes, this.pos);
            break;
          default: this.pos = skipJsonValue(bytes, this.pos);
        }
      }
      // The envelope the schema checks (batch-schema.ts envelopeIssue).
      if (!Number.isInteger(type) || type < MIN_EVENT_TYPE || type > MAX_EVENT_TYPE) return UNSURE;
      if (!(time >= 0 && time <= Number.MAX_SAFE_INTEGER) || !hasData) return UNSURE;
      // As summarizeBatch: the span as min/max, and the first Meta with a full snapshot after it.
      if (time < first) first = time;
      if (time > last) last = time;
      if (type === META) meta ??= time;
      else if (type === FULL_SNAPSHOT && meta !== null) snapshot ??= meta;

      this.pos = skipJsonSpace(bytes, this.pos);
      const next = byteAt(bytes, this.pos++);
      if (next === Byte.CloseBracket) return { count, first, last, snapshot };
      if (next !== Byte.Comma) failAt(this.pos - 1);
      this.pos = skipJsonSpace(bytes, this.pos);
    }
  }

  /** A leaf value as a number; NaN for anything else (a string, a literal, a container). */
  private readNumber(): number {
    const value = this.readLeaf();
    return typeof value === 'number' ? value : NaN;
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
