import type { eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { snapshotEvents } from './snapshot-events';

const e = (type: number, timestamp: number, data: Record<string, unknown> = {}) => ({ type, timestamp, data }) as eventWithTime;
const mutation = (t: number) => e(3, t, { source: 0, adds: [], removes: [], texts: [], attributes: [] });

describe('snapshotEvents', () => {
  const events = [
    e(4, 100, { href: 'https://shop.example/', width: 1280, height: 800 }),
    e(2, 101, { node: {} }),
    mutation(150),
    e(3, 160, { source: 1, positions: [] }), // mouse move: left out
    e(5, 170, { tag: 'frictionlens.click', payload: {} }), // our own events: left out
    e(3, 180, { source: 8, id: 3 }), // stylesheet rule: kept
    e(3, 200, { source: 2, type: 1, id: 9, x: 1, y: 1 }), // mousedown: the visitor acts
    mutation(210),
  ];

  it('keeps Meta, the snapshot and DOM changes up to the visitor\'s first press', () => {
    expect(snapshotEvents(events, 101, 10_000).map((event) => event.timestamp)).toEqual([100, 101, 150, 180]);
  });

  it('stops at the moment given, at an input, and at a later full snapshot', () => {
    expect(snapshotEvents(events, 101, 160).map((event) => event.timestamp)).toEqual([100, 101, 150]);
    expect(snapshotEvents([...events.slice(0, 3), e(3, 155, { source: 5, id: 3, text: '*' }), mutation(156)], 101, 1e9)).toHaveLength(3);
    expect(snapshotEvents([...events.slice(0, 3), e(2, 170, { node: {} }), mutation(180)], 101, 1e9)).toHaveLength(3);
    expect(snapshotEvents(events, 5000, 1e9)).toEqual([]);
  });
});
