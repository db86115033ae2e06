import { describe, expect, it } from 'vitest';
import { WIRE_FORMAT_VERSION, type IngestBatch } from './wire/format';
import { serializeBatch, serializeBatchParts } from './serialize-batch';

const header = {
  v: WIRE_FORMAT_VERSION,
  sessionId: 'session-1',
  seq: 7,
  pageId: 'page-0001',
  url: 'https://shop.example.com/cart?x="1"',
  sentAt: 1_700_000_000_123,
} as const;

describe('serializeBatch', () => {
  it('produces an IngestBatch that parses back to the header plus the events, in order', () => {
    const events = [
      { type: 4, data: { href: 'https://shop.example.com/', width: 1280, height: 720 }, timestamp: 1 },
      { type: 5, data: { tag: 'frictionlens.page-view', payload: { title: 'Café ✓' } }, timestamp: 2 },
    ];
    const body = serializeBatch(header, events.map((e) => JSON.stringify(e)));
    const parsed = JSON.parse(body) as IngestBatch;
    expect(parsed).toEqual({ ...header, events });
    expect(Object.keys(parsed)).toEqual(['v', 'sessionId', 'seq', 'pageId', 'url', 'sentAt', 'events']);
  });

  it('keeps each event JSON as its own piece, so nothing joins them before the compression worker', () => {
    const jsons = ['{"type":4}', '{"type":2}', '{"type":3}'];
    const parts = serializeBatchParts(header, jsons);
    expect(parts.slice(1, -1)).toEqual([jsons[0], ',', jsons[1], ',', jsons[2]]);
    expect(parts[1]).toBe(jsons[0]);
    expect(parts.join('')).toBe(serializeBatch(header, jsons));
  });

  it('writes final only when it is set', () => {
    const parsed = JSON.parse(serializeBatch({ ...header, final: true }, ['{"type":4}'])) as IngestBatch;
    expect(parsed.final).toBe(true);
    expect(Object.keys(parsed)).toEqual(['v', 'sessionId', 'seq', 'pageId', 'url', 'sentAt', 'final', 'events']);
    expect(serializeBatch({ ...header, final: undefined }, [])).not.toContain('final');
  });

  it('gives an empty events array for no events', () => {
    expect(JSON.parse(serializeBatch(header, [])).events).toEqual([]);
  });
});
