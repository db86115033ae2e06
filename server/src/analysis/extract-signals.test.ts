import type { eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { extractSignals } from './extract-signals';
import { MAX_MUTATION_NODES } from './page-signals';

const T = 1_700_000_000_000;
const custom = (t: number, tag: string, payload: unknown) => ({ type: 5, timestamp: t, data: { tag, payload } }) as eventWithTime;
const incremental = (t: number, data: object) => ({ type: 3, timestamp: t, data }) as eventWithTime;

describe('extractSignals', () => {
  it('reduces a page load to snapshot, view, click, mutation, input, scroll and selection signals', () => {
    const events = [
      { type: 4, timestamp: T, data: { href: 'https://shop.example/', width: 1280, height: 800 } },
      { type: 2, timestamp: T + 1, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } },
      custom(T + 2, CUSTOM_EVENT_TAGS.pageView, { url: 'https://shop.example/', title: 'Shop', referrer: '' }),
      custom(T + 10, CUSTOM_EVENT_TAGS.click, {
        x: 10, y: 20, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 2000,
        selector: '#buy', offsetX: 0.5, offsetY: 0.5, fixed: false, clickCount: 2, modifier: true, target: { kind: 'button', text: 'Buy' },
      }),
      incremental(T + 20, {
        source: 0,
        // 9 is added under 7, and 10 under 9: 9 is new, so only 7 existed before.
        adds: [{ parentId: 7, nextId: null, node: { id: 9 } }, { parentId: 9, nextId: null, node: { id: 10 } }],
        removes: [],
        texts: [{ id: 5, value: 'x' }],
        attributes: [{ id: 6, attributes: { class: 'a' } }],
      }),
      incremental(T + 30, { source: 5, id: 12, text: '*', isChecked: true }),
      incremental(T + 40, { source: 3, id: 1, x: 0, y: 300 }),
      incremental(T + 50, { source: 14, ranges: [] }),
      incremental(T + 51, { source: 14, ranges: [{ start: 3, startOffset: 0, end: 3, endOffset: 5 }] }),
      incremental(T + 55, { source: 1, positions: [] }),
    ] as eventWithTime[];
    expect(extractSignals(events)).toEqual([
      { k: 'snapshot', t: T + 1, width: 1280, height: 800 },
      { k: 'view', t: T + 2, url: 'https://shop.example/', title: 'Shop', trigger: 'load' },
      { k: 'click', t: T + 10, x: 10, y: 20, sel: '#buy', count: 2, modifier: true, target: { kind: 'button', text: 'Buy' } },
      { k: 'mutation', t: T + 20, nodes: [5, 6, 7], structural: true, size: 4 },
      { k: 'input', t: T + 30, id: 12, checked: true },
      { k: 'scroll', t: T + 40, id: 1 },
      { k: 'selection', t: T + 50, collapsed: true },
      { k: 'selection', t: T + 51, collapsed: false },
    ]);
  });

  it('reads forms, effects, errors, failed requests, track and identify', () => {
    const field = { selector: '#postcode', kind: 'input:text', label: 'Postcode', form: '#checkout' };
    const signals = extractSignals([
      custom(T, CUSTOM_EVENT_TAGS.formField, { action: 'invalid', field, empty: false, valid: false, validity: ['customError'], validationMessage: 'Bad postcode' }),
      custom(T + 1, CUSTOM_EVENT_TAGS.form, { action: 'submit', form: '#checkout', fieldCount: 8, invalidFields: ['#postcode'] }),
      custom(T + 2, CUSTOM_EVENT_TAGS.clickEffect, { effect: 'disabled-press', selector: '#pay' }),
      custom(T + 3, CUSTOM_EVENT_TAGS.error, { kind: 'error', message: 'boom', source: 'https://shop.example/app.js', line: 1 }),
      custom(T + 4, CUSTOM_EVENT_TAGS.networkFailure, { initiator: 'fetch', method: 'POST', url: 'https://shop.example/api/promo', status: 500, durationMs: 12 }),
      custom(T + 5, CUSTOM_EVENT_TAGS.track, { name: 'step', props: {} }),
      custom(T + 6, CUSTOM_EVENT_TAGS.identify, { userId: 'u-1', traits: {} }),
      custom(T + 6, CUSTOM_EVENT_TAGS.storm, { action: 'paused', mutations: 12000 }),
      custom(T + 7, CUSTOM_EVENT_TAGS.console, { level: 'warn', message: 'not a signal' }),
    ]);
    expect(signals.map((signal) => signal.k)).toEqual(['field', 'form', 'effect', 'error', 'request-failed', 'track', 'identify', 'storm']);
    expect(signals[0]).toEqual({ k: 'field', t: T, action: 'invalid', field, empty: false, valid: false, validity: ['customError'], message: 'Bad postcode' });
    expect(signals[3]).toEqual({ k: 'error', t: T + 3, kind: 'error', message: 'boom', source: 'https://shop.example/app.js', line: 1 });
    expect(signals[4]).toEqual({ k: 'request-failed', t: T + 4, method: 'POST', url: 'https://shop.example/api/promo', status: 500, durationMs: 12, initiator: 'fetch' });
  });

  it('keeps the referrer of a load page view, for the traffic source of conversion segments', () => {
    const [load, route] = extractSignals([
      custom(T, CUSTOM_EVENT_TAGS.pageView, { url: 'https://shop.example/?utm_source=news', title: 'Shop', referrer: 'https://news.example/story' }),
      custom(T + 1, CUSTOM_EVENT_TAGS.pageView, { url: 'https://shop.example/cart', title: 'Cart', referrer: 'https://shop.example/', trigger: 'push-state' }),
    ]);
    expect(load).toEqual({ k: 'view', t: T, url: 'https://shop.example/?utm_source=news', title: 'Shop', trigger: 'load', referrer: 'https://news.example/story' });
    // A route change's referrer is the previous route, not where the visitor came from.
    expect(route).not.toHaveProperty('referrer');
  });

  it("keeps where each press starts (rrweb's mouse down and touch start), not its other mouse interactions", () => {
    const events = [0, 1, 2, 7, 9].map((type, i) => incremental(T + i, { source: 2, type, id: 5, x: 1, y: 1 }));
    expect(extractSignals(events)).toEqual([
      { k: 'pointerdown', t: T + 1 },
      { k: 'pointerdown', t: T + 3 },
    ]);
  });

  it('adds an end signal at the last event of a final batch', () => {
    const events = [incremental(T + 5, { source: 3, id: 1 }), incremental(T + 2, { source: 3, id: 1 })];
    expect(extractSignals(events, true).at(-1)).toEqual({ k: 'end', t: T + 5 });
    expect(extractSignals(events, false).some((signal) => signal.k === 'end')).toBe(false);
  });

  it('caps the nodes kept of one large mutation and passes over events of unexpected shapes', () => {
    const texts = Array.from({ length: 500 }, (_, id) => ({ id, value: '' }));
    const [big] = extractSignals([incremental(T, { source: 0, adds: [], removes: [], texts, attributes: [] })]);
    expect(big).toMatchObject({ k: 'mutation', size: 500, structural: false });
    expect((big as { nodes: number[] }).nodes).toHaveLength(MAX_MUTATION_NODES);
    expect(extractSignals([
      incremental(T, { source: 0, adds: 'nope' }),
      custom(T, CUSTOM_EVENT_TAGS.click, null),
      custom(T, CUSTOM_EVENT_TAGS.formField, { action: 'focus' }),
      custom(T, 'someone-else', { x: 1 }),
    ])).toEqual([]);
  });
});
