import { describe, expect, it } from 'vitest';
import { mutateBytes, seededInts } from '../testing/mutate-bytes';
import { makeBatch, sampleEvents } from '../testing/test-app';
import { JsonSyntaxError, scanBatchJson } from './scan-batch-json';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** What JSON.parse says of the text: its value, or that it throws. */
function parseOrRefuse(text: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function scanOrRefuse(text: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: scanBatchJson(text) };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    return { ok: false };
  }
}

/** The envelope scanBatchJson should build from a JSON.parse result. */
function envelopeOf(value: unknown): unknown {
  const leaf = (v: unknown) => (Array.isArray(v) ? [] : typeof v === 'object' && v !== null ? {} : v);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return leaf(value);
  const batch: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'events' && Array.isArray(v)) {
      batch.events = v.map((event: unknown) => {
        if (typeof event !== 'object' || event === null || Array.isArray(event)) return leaf(event);
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(event)) if (k === 'type' || k === 'timestamp' || k === 'data') out[k] = leaf(e);
        return out;
      });
    } else if (['v', 'sessionId', 'seq', 'pageId', 'url', 'sentAt', 'events'].includes(key)) {
      batch[key] = leaf(v);
    }
  }
  return batch;
}

function expectSameAsJsonParse(text: Buffer): void {
  const expected = parseOrRefuse(text);
  const actual = scanOrRefuse(text);
  expect(actual.ok, text.toString('latin1').slice(0, 200)).toBe(expected.ok);
  if (expected.ok && actual.ok) expect(actual.value).toEqual(envelopeOf(expected.value));
}

describe('scanBatchJson', () => {
  it('builds the envelope of a batch and nothing of the payloads', () => {
    const batch = makeBatch({ events: sampleEvents(1_700_000_000_000, 3) });
    expect(scanBatchJson(bytes(JSON.stringify(batch)))).toEqual({
      ...batch,
      events: batch.events.map(({ type, timestamp }) => ({ type, timestamp, data: {} })),
    });
  });

  it.each([
    ['an empty body', ''],
    ['a BOM', '\ufeff{}'],
    ['a non-breaking space', '{}\u00a0'],
    ['a trailing comma', '{"a":[1,2,],"v":1}'],
    ['a leading zero', '{"seq":01}'],
    ['a bare fraction', '{"seq":.5}'],
    ['an empty exponent', '[1e]'],
    ['a lone minus', '[-]'],
    ['a raw tab in a string', '["a\tb"]'],
    ['a bad escape', '["\\x41"]'],
    ['a short unicode escape', '["\\u12"]'],
    ['a truncated literal', '[nul'],
    ['single quotes', "{'v':1}"],
    ['two values', '{} {}'],
    ['an unclosed object', '{"events":[{"type":1}]'],
  ])('refuses %s, as JSON.parse does', (_name, text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(() => scanBatchJson(bytes(text))).toThrow(JsonSyntaxError);
  });

  it.each([
    ['escaped keys and values', '{"\\u0076":1,"url":"https:\\/\\/a.example\\/\\u00e9","sessionId":"a\\"b"}'],
    ['a repeated key, whose last value wins', '{"seq":1,"seq":2,"events":[{"type":1,"type":2}]}'],
    ['numbers of every form', '{"seq":-0,"sentAt":1.5e3,"v":12345678901234567890,"events":[{"timestamp":-1E-2}]}'],
    ['whitespace everywhere', ' \n{ "v" :\t1 , "events" : [ { "type" : 1 , "data" : { } } ] }\r\n'],
    ['a lone surrogate escape', '["\\ud800"]'],
    ['a root that is not an object', '[1,{"a":[true,false,null]}]'],
    ['events that are not objects', '{"events":["x",1,null,[],{"data":[1]}]}'],
    ['invalid UTF-8 inside a string', Buffer.from([0x5b, 0x22, 0xff, 0xc3, 0x22, 0x5d])],
  ])('accepts %s, as JSON.parse does', (_name, text) => {
    expectSameAsJsonParse(typeof text === 'string' ? bytes(text) : text);
  });

  it('skips nesting far deeper than the call stack', () => {
    const depth = 200_000;
    expectSameAsJsonParse(bytes(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    expectSameAsJsonParse(bytes(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
    expectSameAsJsonParse(bytes(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`));
  });

  it('agrees with JSON.parse on thousands of mutated batches', () => {
    // A seeded generator, so a failure reproduces.
    const random = seededInts(42);
    const events = sampleEvents(1_700_000_000_000, 6);
    (events[1]!.data as Record<string, unknown>).text = 'tab\t"quoted" \\ \u00e9\u2028 \ud83d\ude00';
    const original = bytes(JSON.stringify(makeBatch({ events }), null, random(2) ? 1 : undefined));
    const pieces = ['{', '}', '[', ']', '"', '\\', ',', ':', '-', '.', 'e', '0', '1', ' ', '\n', 't', 'u', 'null', '\u0001', '\u00e9'].map(bytes);
    for (let round = 0; round < 5000; round++) expectSameAsJsonParse(mutateBytes(original, pieces, random, 3));
  });
});
