import { EventType, type eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { openingMs, pageIndexAt, pageMarks, recordedViewport } from './replay-timeline';

const meta = (timestamp: number, width: number, height: number): eventWithTime => ({
  type: EventType.Meta,
  data: { href: 'https://shop.example/', width, height },
  timestamp,
});
const load = (timestamp: number): eventWithTime => ({ type: EventType.Load, data: {}, timestamp });
const snapshot = (timestamp: number): eventWithTime => ({
  type: EventType.FullSnapshot,
  data: { node: { type: 0, childNodes: [], id: 1 }, initialOffset: { top: 0, left: 0 } },
  timestamp,
});

const PAGES = [
  { id: 'p1', url: 'https://shop.example/', startedAt: 10_000 },
  { id: 'p2', url: 'https://shop.example/cart', startedAt: 25_500 },
  { id: 'p3', url: 'https://shop.example/pay', startedAt: 40_000 },
];

describe('pageMarks', () => {
  it('offsets each page from the first event', () => {
    const marks = pageMarks(PAGES, [load(9_000), load(50_000)]);
    expect(marks.map((m) => m.offsetMs)).toEqual([1_000, 16_500, 31_000]);
    expect(marks[1]?.url).toBe('https://shop.example/cart');
  });

  it("seeks to each page's first full snapshot, not to its first event", () => {
    const events = [load(10_000), snapshot(10_030), load(25_500), snapshot(25_521), snapshot(27_000)];
    expect(pageMarks(PAGES, events).map((m) => m.seekMs)).toEqual([31, 15_522, 30_000]);
  });

  it('never gives a negative offset and falls back to the first page without events', () => {
    expect(pageMarks(PAGES, [load(12_000)]).map((m) => m.offsetMs)).toEqual([0, 13_500, 28_000]);
    expect(pageMarks(PAGES, []).map((m) => m.offsetMs)).toEqual([0, 15_500, 30_000]);
  });
});

describe('pageIndexAt', () => {
  const marks = pageMarks(PAGES, [load(10_000)]);
  it.each([
    [0, 0],
    [15_499, 0],
    [15_500, 1],
    [29_999, 1],
    [90_000, 2],
  ])('at %i ms the page is #%i', (offset, index) => {
    expect(pageIndexAt(marks, offset)).toBe(index);
  });
  it('is -1 without pages', () => {
    expect(pageIndexAt([], 5)).toBe(-1);
  });
});

describe('openingMs', () => {
  it('is just past the first full snapshot, from the first event', () => {
    expect(openingMs([meta(1000, 1280, 800), snapshot(1012), snapshot(9000)])).toBe(13);
    expect(openingMs([snapshot(1000)])).toBe(1);
  });

  it('is the start when no snapshot has loaded', () => {
    expect(openingMs([load(5), meta(6, 1280, 800)])).toBe(0);
    expect(openingMs([])).toBe(0);
  });
});

describe('recordedViewport', () => {
  it('uses the first Meta event', () => {
    expect(recordedViewport([load(1), meta(2, 390, 844), meta(3, 1280, 800)])).toEqual({ width: 390, height: 844 });
  });
  it('is null without a Meta event', () => {
    expect(recordedViewport([load(1)])).toBeNull();
  });
});
