import { describe, expect, it } from 'vitest';
import { makeBatch, sampleEvents } from '../testing/test-app';
import { ingestBatchSchema } from './batch-schema';

describe('ingestBatchSchema', () => {
  it('accepts a batch and returns its events untouched', () => {
    const batch = makeBatch();
    const result = ingestBatchSchema.safeParse(batch);
    expect(result.success).toBe(true);
    expect(result.data?.events).toEqual(batch.events);
  });

  it('checks only the envelope of each event, not rrweb payloads', () => {
    const odd = { type: 3, timestamp: 1, data: { source: 'not-a-number', anything: [1, { deep: true }] }, extra: 'kept' };
    const result = ingestBatchSchema.safeParse(makeBatch({ events: [odd as never] }));
    expect(result.success).toBe(true);
    expect(result.data?.events[0]).toEqual(odd);
  });

  it.each([
    [{ type: 2.5 }, 'events.1.type'],
    [{ type: -1 }, 'events.1.type'],
    [{ timestamp: Number.NaN }, 'events.1.timestamp'],
    [{ timestamp: -5 }, 'events.1.timestamp'],
    [{ data: null }, 'events.1.data'],
  ])('reports %o at %s', (patch, path) => {
    const events = sampleEvents(1000);
    const result = ingestBatchSchema.safeParse(makeBatch({ events: [events[0]!, { ...events[1]!, ...patch } as never] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it('refuses an event that is not an object', () => {
    const result = ingestBatchSchema.safeParse(makeBatch({ events: ['nope' as never] }));
    expect(result.error?.issues[0]?.path.join('.')).toBe('events.0');
  });
});
