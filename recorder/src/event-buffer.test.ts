import { describe, expect, it } from 'vitest';
import { createEventBuffer } from './event-buffer';

describe('createEventBuffer', () => {
  it('asks for a flush at the event count limit', () => {
    const buffer = createEventBuffer(3, 1_000_000);
    expect([buffer.push({ a: 1 }), buffer.push({ a: 2 }), buffer.push({ a: 3 })]).toEqual([false, false, true]);
  });

  it('asks for a flush at the size limit', () => {
    const buffer = createEventBuffer(1000, 30);
    expect(buffer.push({ text: 'x'.repeat(10) })).toBe(false); // 19 chars
    expect(buffer.push({ text: 'y' })).toBe(true); // 19 + 12 = 31
  });

  it('take() returns JSON in arrival order and resets both counters', () => {
    const buffer = createEventBuffer(2, 1_000_000);
    buffer.push({ type: 4 });
    buffer.push({ type: 2 });
    expect(buffer.take()).toEqual(['{"type":4}', '{"type":2}']);
    expect(buffer.length).toBe(0);
    expect(buffer.push({ type: 3 })).toBe(false);
  });

  it('keeps the event as it was when pushed', () => {
    const buffer = createEventBuffer();
    const event = { data: { x: 1 } };
    buffer.push(event);
    event.data.x = 2;
    expect(buffer.take()).toEqual(['{"data":{"x":1}}']);
  });
});
