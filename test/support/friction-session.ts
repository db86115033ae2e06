// Builds a one-minute shop session with friction in it (a burst of clicks on a dead button, a repeated error, a failed request, a route change) as the recorder's batches.
import { gzipSync } from 'node:zlib';
import { EventType, IncrementalSource, MouseInteractions, NodeType, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS, WIRE_FORMAT_VERSION, type IngestBatch } from '../../recorder/src/wire/format';

export const FRICTION_SESSION_URL = 'https://shop.example/product';
export const FRICTION_SESSION_MS = 60_000;
/** Batches close this often, as the recorder's flush timer does. */
const FLUSH_INTERVAL_MS = 5000;

// Fixed node ids of the snapshot.
const HEADING_TEXT_ID = 6;
const STATUS_TEXT_ID = 8;
const BUY_ID = 9;
const SIZE_ID = 11;

/** What the page's status line reads `second` seconds into the visit (it ticks once a second). */
export const statusAt = (second: number) => `Second ${second}`;

/** When each thing happens, ms from the start. */
export const MOMENTS = {
  buy: 3000,
  /** Seven clicks on the size button, 120 ms apart; nothing on the page answers them. */
  rageFrom: 8000,
  /** The same error four times, 500 ms apart. */
  errorsFrom: 15_000,
  failedRequest: 20_000,
  routeChange: 25_000,
} as const;

const element = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[]) => ({ type: NodeType.Element, id, tagName, attributes, childNodes });
const text = (id: number, textContent: string) => ({ type: NodeType.Text, id, textContent });
const custom = (timestamp: number, tag: string, payload: unknown) => ({ type: EventType.Custom, timestamp, data: { tag, payload } }) as eventWithTime;

function snapshot() {
  return {
    type: NodeType.Document,
    id: 1,
    childNodes: [
      element(2, 'html', {}, [
        element(3, 'head', {}, []),
        element(4, 'body', {}, [
          element(5, 'h1', {}, [text(HEADING_TEXT_ID, 'Trail shoes')]),
          element(7, 'p', { id: 'status' }, [text(STATUS_TEXT_ID, statusAt(0))]),
          element(BUY_ID, 'button', { id: 'buy' }, [text(10, 'Buy now')]),
          element(SIZE_ID, 'button', { id: 'size' }, [text(12, 'Choose size')]),
        ]),
      ]),
    ],
  };
}

const setText = (timestamp: number, id: number, value: string) =>
  ({ type: EventType.IncrementalSnapshot, timestamp, data: { source: IncrementalSource.Mutation, texts: [{ id, value }], attributes: [], removes: [], adds: [] } }) as eventWithTime;

/** A press as rrweb and the recorder record it: mouse down, click, and our click event with what was pressed. */
function press(timestamp: number, id: number, selector: string, label: string): eventWithTime[] {
  const mouse = (type: MouseInteractions, at: number) =>
    ({ type: EventType.IncrementalSnapshot, timestamp: at, data: { source: IncrementalSource.MouseInteraction, type, id, x: 40, y: 120 } }) as eventWithTime;
  return [
    mouse(MouseInteractions.MouseDown, timestamp - 60),
    mouse(MouseInteractions.MouseUp, timestamp - 1),
    mouse(MouseInteractions.Click, timestamp),
    custom(timestamp, CUSTOM_EVENT_TAGS.click, {
      x: 40, y: 120, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 800,
      selector, offsetX: 0.5, offsetY: 0.5, fixed: false, clickCount: 1, modifier: false,
      target: { kind: 'button', text: label, pointer: true },
    }),
  ];
}

/** The visit's events in time order, starting at `t0`. */
export function frictionSessionEvents(t0: number): eventWithTime[] {
  const at = (ms: number) => t0 + ms;
  const events: eventWithTime[] = [
    { type: EventType.Meta, timestamp: at(0), data: { href: FRICTION_SESSION_URL, width: 1280, height: 800 } } as eventWithTime,
    { type: EventType.FullSnapshot, timestamp: at(20), data: { node: snapshot(), initialOffset: { top: 0, left: 0 } } } as eventWithTime,
    custom(at(20), CUSTOM_EVENT_TAGS.pageView, { url: FRICTION_SESSION_URL, title: 'Trail shoes', referrer: '', trigger: 'load' }),
  ];
  for (let second = 1; second * 1000 < FRICTION_SESSION_MS; second++) events.push(setText(at(second * 1000), STATUS_TEXT_ID, statusAt(second)));
  events.push(...press(at(MOMENTS.buy), BUY_ID, 'button#buy', 'Buy now'), setText(at(MOMENTS.buy + 80), 10, 'Added ✓'));
  for (let i = 0; i < 7; i++) events.push(...press(at(MOMENTS.rageFrom + i * 120), SIZE_ID, 'button#size', 'Choose size'));
  for (let i = 0; i < 4; i++) {
    events.push(custom(at(MOMENTS.errorsFrom + i * 500), CUSTOM_EVENT_TAGS.error, { kind: 'error', message: 'TypeError: price is undefined', source: 'https://shop.example/app.js', line: 12, column: 4 }));
  }
  events.push(custom(at(MOMENTS.failedRequest), CUSTOM_EVENT_TAGS.networkFailure, { initiator: 'fetch', method: 'POST', url: 'https://shop.example/api/cart', status: 500, durationMs: 180 }));
  events.push(
    custom(at(MOMENTS.routeChange), CUSTOM_EVENT_TAGS.pageView, { url: `${FRICTION_SESSION_URL}/reviews`, title: 'Reviews', referrer: '', trigger: 'push-state' }),
    setText(at(MOMENTS.routeChange + 30), HEADING_TEXT_ID, 'Reviews'),
  );
  events.push({ type: EventType.IncrementalSnapshot, timestamp: at(FRICTION_SESSION_MS), data: { source: IncrementalSource.MouseMove, positions: [{ x: 5, y: 5, id: 4, timeOffset: 0 }] } } as eventWithTime);
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/** Gzip ingest bodies, a batch per FLUSH_INTERVAL_MS, the last one final (the visitor left). */
export function frictionSessionBodies(sessionId: string, t0: number): Buffer[] {
  const slices: eventWithTime[][] = [];
  for (const event of frictionSessionEvents(t0)) {
    const index = Math.floor((event.timestamp - t0) / FLUSH_INTERVAL_MS);
    (slices[index] ??= []).push(event);
  }
  const batches = slices.filter((slice) => slice.length > 0);
  return batches.map((events, seq) => {
    const batch: IngestBatch = {
      v: WIRE_FORMAT_VERSION,
      sessionId,
      seq,
      pageId: 'page-product-01',
      url: FRICTION_SESSION_URL,
      sentAt: events[events.length - 1]!.timestamp,
      events,
      ...(seq === batches.length - 1 ? { final: true } : {}),
    };
    return gzipSync(JSON.stringify(batch));
  });
}
