import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from './contract';
import type { PageMark } from './replay-timeline';
import { currentItemIndex, nextFriction, PREVIOUS_GRACE_MS, previousFriction, timelineItems } from './timeline-items';

const T0 = 1_700_000_000_000;
const ENTRIES: TimelineEntry[] = [
  { kind: 'page', ts: T0, pageId: 'p1', url: 'https://shop.example/cart?step=1', title: null, trigger: 'load' },
  { kind: 'click', ts: T0 + 1000, pageId: 'p1', selector: 'main>button', text: 'Check out', target: 'button' },
  { kind: 'friction', ts: T0 + 1000, pageId: 'p1', type: 'dead_click', reason: 'Nothing happened.', selector: 'main>button', url: 'https://shop.example/cart' },
  { kind: 'click', ts: T0 + 2000, pageId: 'p1', selector: '#email', text: null, target: 'input:email' },
  { kind: 'error', ts: T0 + 3000, pageId: 'p1', message: 'TypeError: x', source: 'https://shop.example/app.js?v=2', errorKind: 'unhandled-rejection' },
  { kind: 'request', ts: T0 + 4000, pageId: 'p1', method: 'POST', url: 'https://shop.example/api/cart', status: 0, durationMs: 120.4 },
  { kind: 'page', ts: T0 + 5000, pageId: 'p1', url: 'https://shop.example/checkout', title: 'Checkout', trigger: 'push-state' },
  { kind: 'friction', ts: T0 + 9000, pageId: 'p2', type: 'rage_click', reason: '5 clicks.', selector: '#x', url: 'https://shop.example/checkout' },
];
const PAGES = [{ id: 'p1', url: 'https://shop.example/cart', startedAt: T0, offsetMs: 0, seekMs: 21 }] as PageMark[];

describe('timelineItems', () => {
  it('places entries on the replay clock and says what each was', () => {
    const items = timelineItems(ENTRIES, T0, PAGES);
    expect(items.map((item) => [item.offsetMs, item.seekMs, item.label, item.detail, item.marked])).toEqual([
      [0, 21, 'Opened /cart?step=1', '/cart?step=1', false],
      [1000, 1000, 'Clicked “Check out”', 'main>button', false],
      [1000, 1000, 'Dead click', 'Nothing happened.', true],
      [2000, 2000, 'Clicked a field', '#email', false],
      [3000, 3000, 'Unhandled rejection: TypeError: x', '/app.js?v=2', true],
      [4000, 4000, 'POST /api/cart failed', 'Network error after 120 ms', false],
      [5000, 5000, 'Went to Checkout in the page', '/checkout', false],
      [9000, 9000, 'Rage click', '5 clicks.', true],
    ]);
    expect(items[0]!.pageUrl).toBe('https://shop.example/cart?step=1');
    expect(items[6]!.pageUrl).toBeNull();
    expect(items[2]!.frictionType).toBe('dead_click');
    expect(new Set(items.map((item) => item.key)).size).toBe(items.length);
  });

  it('finds the entry reached, preferring the one chosen among entries at the same moment', () => {
    const items = timelineItems(ENTRIES, T0, PAGES);
    expect(currentItemIndex(items, -1)).toBe(-1);
    expect(currentItemIndex(items, 0)).toBe(0);
    expect(currentItemIndex(items, 1500)).toBe(2);
    expect(currentItemIndex(items, 1000, items[1]!.key)).toBe(1);
    // Once playback has moved past that moment, the choice no longer matters.
    expect(currentItemIndex(items, 2000, items[1]!.key)).toBe(3);
    expect(currentItemIndex(items, 60_000)).toBe(7);
    expect(currentItemIndex([], 5)).toBe(-1);
  });

  it('finds the next friction after a moment and the previous one before it, past a short grace', () => {
    const items = timelineItems(ENTRIES, T0, PAGES);
    expect(nextFriction(items, 0)?.offsetMs).toBe(1000);
    expect(nextFriction(items, 1000)?.offsetMs).toBe(9000);
    expect(nextFriction(items, 9000)).toBeNull();
    expect(previousFriction(items, 9000 + PREVIOUS_GRACE_MS - 1)?.offsetMs).toBe(1000);
    expect(previousFriction(items, 9000 + PREVIOUS_GRACE_MS + 1)?.offsetMs).toBe(9000);
    expect(previousFriction(items, 1500)).toBeNull();
  });
});
