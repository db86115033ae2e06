// Test support: visits built as the recorder sends them (rrweb events with our custom events, one final batch per page load) and sent through the real ingest route.
import type { eventWithTime } from '@rrweb/types';
import { expect } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../../recorder/src/wire/format';
import { gzipJson, makeBatch, postIngest, SHOP_ORIGIN, type TestApp } from '../../testing/test-app';

export const MOBILE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

type Emit = (t: number) => eventWithTime[];

const custom = (t: number, tag: string, payload: unknown) => ({ type: 5, timestamp: t, data: { tag, payload } }) as eventWithTime;
const field = (selector: string) => ({ selector, kind: 'input:text', name: selector.slice(1), label: selector.slice(1), form: '#checkout-form' });
const fieldEvent = (t: number, action: string, selector: string, empty: boolean) =>
  custom(t, CUSTOM_EVENT_TAGS.formField, { action, field: field(selector), empty, valid: true, validity: [], validationMessage: '' });

/** Focus, typing and change of one checkout field, 1 s apart from the last: a field filled in. */
export const fill = (selector: string, id: number): Emit => (t) => [
  fieldEvent(t, 'focus', selector, true),
  { type: 3, timestamp: t + 200, data: { source: 5, id, text: '****', isChecked: false } } as eventWithTime,
  fieldEvent(t + 400, 'change', selector, false),
  fieldEvent(t + 500, 'blur', selector, false),
];
export const submitCheckout: Emit = (t) => [custom(t, CUSTOM_EVENT_TAGS.form, { action: 'submit', form: '#checkout-form', fieldCount: 3, invalidFields: [] })];
export const track = (name: string): Emit => (t) => [custom(t, CUSTOM_EVENT_TAGS.track, { name, props: {} })];

export interface PageLoad {
  /** Path and query, e.g. '/cart.html?utm_source=google'. */
  path: string;
  /** ms after the visit's start. */
  at: number;
  referrer?: string;
  /** Each action's events, a second apart, after the page view. */
  actions?: Emit[];
  /** How long the page stays open after its last action, ms. */
  stayMs?: number;
}

/**
 * Sends each page load as one final batch (Meta, full snapshot, page view, the actions), so the
 * analysis pass sees the page ended, as it does when a visitor navigates on.
 */
export async function recordVisit(t: Pick<TestApp, 'app' | 'site'>, sessionId: string, start: number, loads: readonly PageLoad[], userAgent?: string): Promise<void> {
  let seq = 0;
  for (const [index, load] of loads.entries()) {
    const url = `${SHOP_ORIGIN}${load.path}`;
    const t0 = start + load.at;
    const events: eventWithTime[] = [
      { type: 4, timestamp: t0, data: { href: url, width: 1280, height: 800 } } as eventWithTime,
      { type: 2, timestamp: t0 + 1, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } } as eventWithTime,
      custom(t0 + 2, CUSTOM_EVENT_TAGS.pageView, { url, title: load.path, referrer: load.referrer ?? '' }),
    ];
    let at = t0 + 1000;
    for (const action of load.actions ?? []) {
      events.push(...action(at));
      at += 1000;
    }
    events.push({ type: 3, timestamp: at + (load.stayMs ?? 0), data: { source: 1, positions: [{ x: 1, y: 1, id: 1, timeOffset: 0 }] } } as eventWithTime);
    const batch = makeBatch({ sessionId, seq: seq++, pageId: `${sessionId}-p${index}`, url, events, final: true });
    const res = await postIngest(t.app, t.site.key, gzipJson(batch), { headers: userAgent ? { 'user-agent': userAgent } : {} });
    expect(res.status).toBe(200);
  }
}
