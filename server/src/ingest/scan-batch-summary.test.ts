import { readFileSync } from 'node:fs';
import type { eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_BATCH } from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import { mutateBytes, seededInts } from '../testing/mutate-bytes';
import { makeBatch, sampleEvents } from '../testing/test-app';
import { decodeBatchSummary, parseBatch } from './decode-batch';
import { scanBatchSummary } from './scan-batch-summary';
import { JsonSyntaxError } from './scan-batch-json';
import { summarizeBatch } from './store-batch';

const bytes = (text: string) => Buffer.from(text, 'utf8');

type Outcome = { ok: true; summary: unknown } | { ok: false; refusal: string };

function outcome(decode: () => unknown): Outcome {
  try {
    return { ok: true, summary: decode() };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { ok: false, refusal: `${err.status} ${err.code}: ${err.message}` };
  }
}

/** The full path (every event built, the schema, summarizeBatch) and the route's path must answer alike. */
function expectSameAsFullPath(json: Buffer): void {
  const full = outcome(() => summarizeBatch(parseBatch(json)));
  const route = outcome(() => decodeBatchSummary(json, false).summary);
  expect(route, json.toString('latin1').slice(0, 300)).toEqual(full);
  // The fast scan itself may give up on a valid batch, but never vouches for one the schema refuses.
  let fast: unknown;
  try {
    fast = scanBatchSummary(json);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
  }
  if (fast !== undefined) expect(full, json.toString('latin1').slice(0, 300)).toEqual({ ok: true, summary: fast });
}

const events = sampleEvents(1_700_000_000_000, 6);
const withEvents = (list: unknown[]) => JSON.stringify(makeBatch({ events: list as eventWithTime[] }));
/** The batch with `field` given again last, as raw JSON text: the last value of a key is the one that counts. */
const withField = (field: string, value: string) => JSON.stringify(makeBatch()).replace(/\}$/, `,"${field}":${value}}`);

describe('scanBatchSummary', () => {
  it('summarizes the recorded checkout visit as the full decode does, building no event', () => {
    const recorded = JSON.parse(readFileSync(new URL('../../../test/fixtures/recordings/checkout-visit.json', import.meta.url), 'utf8')) as eventWithTime[];
    for (let start = 0; start < recorded.length; start += 50) {
      const json = bytes(JSON.stringify(makeBatch({ seq: start / 50, events: recorded.slice(start, start + 50) })));
      expect(scanBatchSummary(json)).toEqual(summarizeBatch(parseBatch(json)));
    }
  });

  it.each([
    ['a later events key, whose last value wins', `{"events":[1],${withEvents(events).slice(1)}`],
    ['a repeated envelope key', withField('events', `[{"type":4,"timestamp":5,"data":{},"type":2},${JSON.stringify(events).slice(1)}`)],
    ['events out of time order', withEvents([...events].reverse())],
    ['a snapshot before any Meta', withEvents([events[1], events[0], events[1]])],
    ['fractional timestamps', withEvents(events.map((e, i) => ({ ...e, timestamp: e.timestamp + i / 3 })))],
    ['final: true', JSON.stringify(makeBatch({ final: true }))],
    ['escaped ids and URL', JSON.stringify(makeBatch()).replace('"session-0001"', '"session-\\u0030001"').replace('"https:', '"\\u0068ttps:')],
    ['event keys written with escapes', withField('events', '[{"\\u0074ype":4,"t\\u0069mestamp":5,"d\\u0061ta":{}},{"type":2,"timestamp":6,"data":{}}]')],
    ['a type and a timestamp written as 3.0 and 1e3', withField('events', '[{"type":3.0,"timestamp":1e3,"data":{}}]')],
    ['whitespace around every token of the events', withField('events', '[ { "type" : 4 , "timestamp" : 5 , "data" : { } , "x" : [ 1 ] } , {"data":{},"type":2,"timestamp":6} ]')],
    ['an event with keys of other lengths and letters', withField('events', '[{"typ":1,"types":2,"dat":3,"timestamps":4,"timestanp":5,"type":3,"timestamp":7,"data":{}}]')],
  ])('agrees with the full decode on %s', (_name, text) => {
    expectSameAsFullPath(bytes(text));
  });

  it.each([
    ['another version', withField('v', '2')],
    ['a short session id', withField('sessionId', '"short"')],
    ['a session id that is a number', withField('sessionId', '12345678')],
    ['a negative seq', withField('seq', '-1')],
    ['a fractional seq', withField('seq', '1.5')],
    ['a seq past 2^53', withField('seq', '9007199254740993')],
    ['a bad page id', withField('pageId', '"page 0001"')],
    ['a javascript: URL', withField('url', '"javascript:alert(1)"')],
    ['an empty URL', withField('url', '""')],
    ['a URL too long', withField('url', `"https://a.example/${'x'.repeat(9000)}"`)],
    ['an infinite sentAt', withField('sentAt', '1e400')],
    ['a negative sentAt', withField('sentAt', '-1')],
    ['final: false', withField('final', 'false')],
    ['final: null', withField('final', 'null')],
    ['events that are an object', withField('events', '{}')],
    ['no events', withEvents([])],
    ['an event that is not an object', withEvents([...events, 1])],
    ['an event type of 7', withEvents([...events, { type: 7, timestamp: 1, data: {} }])],
    ['a fractional event type', withEvents([{ type: 1.5, timestamp: 1, data: {} }])],
    ['an event type as text', withEvents([{ type: '3', timestamp: 1, data: {} }])],
    ['a negative timestamp', withEvents([{ type: 3, timestamp: -1, data: {} }])],
    ['a timestamp with a leading zero', withField('events', '[{"type":3,"timestamp":01,"data":{}}]')],
    ['a timestamp cut short', withField('events', '[{"type":3,"timestamp":}]')],
    ['an event with no keys', withField('events', '[{}]')],
    ['data that is an array', withEvents([{ type: 3, timestamp: 1, data: [] }])],
    ['data that is null', withEvents([{ type: 3, timestamp: 1, data: null }])],
    ['no data', withEvents([{ type: 3, timestamp: 1 }])],
    ['a repeated data key, the last not an object', withField('events', '[{"type":3,"timestamp":1,"data":{},"data":1}]')],
    ['more events than a batch may hold', withEvents(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ({ type: 3, timestamp: i, data: {} })))],
    ['a root that is an array', '[1]'],
    ['trailing garbage', `${JSON.stringify(makeBatch())} x`],
  ])('refuses %s exactly as the full decode does', (_name, text) => {
    const json = bytes(text);
    expect(outcome(() => summarizeBatch(parseBatch(json))).ok).toBe(false);
    expectSameAsFullPath(json);
  });

  it('agrees with the full decode on thousands of mutated batches', () => {
    // A seeded generator, so a failure reproduces.
    const random = seededInts(7);
    const original = bytes(JSON.stringify(makeBatch({ events })));
    // Edits that make values of other types and ranges as well as broken JSON.
    const pieces = ['{', '}', '[', ']', '"', ',', ':', '-', '.', 'e', '0', '1', '7', ' ', 'null', 'true', '{}', '[]', '"x"', '1.5', '-1'].map(bytes);
    for (let round = 0; round < 5000; round++) expectSameAsFullPath(mutateBytes(original, pieces, random, 2));
  });
});
