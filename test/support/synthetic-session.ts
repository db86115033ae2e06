// Builds long rrweb sessions of a live-updating list page and stores them through the real ingest path.
import { gzipSync } from 'node:zlib';
import { EventType, IncrementalSource, NodeType, type eventWithTime } from '@rrweb/types';
import { BUFFER_MAX_EVENTS } from '../../recorder/src/event-buffer';
import { CUSTOM_EVENT_TAGS, INGEST_PATH, WIRE_FORMAT_VERSION, type IngestBatch } from '../../recorder/src/wire/format';

/** A row of the list changes this often, as on a page of live prices. */
export const CHANGE_EVERY_MS = 35;
/** The page's snapshot comes this long after its Meta event, and its first change this long after that. */
const SNAPSHOT_AFTER_MS = 20;
export const FIRST_CHANGE_AFTER_MS = 100;
const ROWS = 40;
/** The recorder's FLUSH_INTERVAL_MS (recorder/src/recorder.ts, which pulls in the whole recorder to import). */
const FLUSH_INTERVAL_MS = 5000;

export interface SyntheticPage {
  pageId: string;
  url: string;
  /** Shown as the page's heading, to tell pages apart in a replay. */
  title: string;
  startTs: number;
  durationMs: number;
  /** A fresh Meta and full snapshot this often within the page, as rrweb's checkoutEveryNms would take; none when absent. */
  checkoutEveryMs?: number;
}

// Fixed node ids of the snapshot: the status line's text node is what a test reads.
const STATUS_TEXT_ID = 9;
const FIRST_ROW_ID = 20;

/** Text of the status line once the page's `index`th change (0-based) has been applied. */
export const statusText = (index: number) => `Change ${index}`;

/** Index of the last change applied when a replay stands at `ts`; -1 before the first. */
export function changeIndexAt(page: SyntheticPage, ts: number): number {
  const index = Math.floor((ts - page.startTs - FIRST_CHANGE_AFTER_MS) / CHANGE_EVERY_MS);
  return Math.max(-1, Math.min(index, changeCount(page) - 1));
}

export const changeCount = (page: SyntheticPage) => Math.floor((page.durationMs - FIRST_CHANGE_AFTER_MS) / CHANGE_EVERY_MS) + 1;

function element(id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[]) {
  return { type: NodeType.Element, id, tagName, attributes, childNodes };
}
const text = (id: number, textContent: string) => ({ type: NodeType.Text, id, textContent });

const price = (index: number) => (100 + ((index * 7) % 50) / 10).toFixed(2);

/** The page as it stands once change `last` (-1: none yet) has been applied. */
function snapshot(page: SyntheticPage, last = -1) {
  const rows = Array.from({ length: ROWS }, (_, r) => {
    // The row's latest change: the largest index <= last that falls on this row.
    const index = last < r ? -1 : last - ((last - r) % ROWS);
    const attributes = index < 0 ? { class: 'row' } : { class: index % 2 ? 'row up' : 'row down' };
    return element(FIRST_ROW_ID + 2 * r, 'li', attributes, [text(FIRST_ROW_ID + 2 * r + 1, `Item ${r}: ${index < 0 ? '100.00' : price(index)}`)]);
  });
  return {
    type: NodeType.Document,
    id: 1,
    childNodes: [
      element(2, 'html', {}, [
        element(3, 'head', {}, [element(4, 'style', {}, [text(5, 'body{font:16px sans-serif}.up{color:green}.down{color:red}')])]),
        element(6, 'body', {}, [
          element(7, 'h1', {}, [text(8, page.title)]),
          element(10, 'p', { id: 'status' }, [text(STATUS_TEXT_ID, statusText(last))]),
          element(11, 'ul', {}, rows),
        ]),
      ]),
    ],
  };
}

/** One change: a row's price and colour, and the status line. */
function change(page: SyntheticPage, index: number): eventWithTime {
  const row = index % ROWS;
  return {
    type: EventType.IncrementalSnapshot,
    timestamp: page.startTs + FIRST_CHANGE_AFTER_MS + index * CHANGE_EVERY_MS,
    data: {
      source: IncrementalSource.Mutation,
      texts: [
        { id: FIRST_ROW_ID + 2 * row + 1, value: `Item ${row}: ${price(index)}` },
        { id: STATUS_TEXT_ID, value: statusText(index) },
      ],
      attributes: [{ id: FIRST_ROW_ID + 2 * row, attributes: { class: index % 2 ? 'row up' : 'row down' } }],
      removes: [],
      adds: [],
    },
  } as eventWithTime;
}

/** The page's events as rrweb and the recorder emit them: Meta, full snapshot, page view, then the changes. */
export function pageEvents(page: SyntheticPage): eventWithTime[] {
  const snapshotTs = page.startTs + SNAPSHOT_AFTER_MS;
  const events = [
    { type: EventType.Meta, timestamp: page.startTs, data: { href: page.url, width: 1280, height: 800 } },
    { type: EventType.FullSnapshot, timestamp: snapshotTs, data: { node: snapshot(page), initialOffset: { top: 0, left: 0 } } },
    {
      type: EventType.Custom,
      timestamp: snapshotTs,
      data: { tag: CUSTOM_EVENT_TAGS.pageView, payload: { url: page.url, title: page.title, referrer: '' } },
    },
  ] as eventWithTime[];
  // As rrweb's checkoutEveryNms: after an incremental event that comes more than the interval after
  // the last full snapshot, a Meta and a fresh full snapshot (holding that change) at the same time.
  let lastSnapshotTs = snapshotTs;
  for (let i = 0; i < changeCount(page); i++) {
    const next = change(page, i);
    events.push(next);
    if (page.checkoutEveryMs && next.timestamp - lastSnapshotTs > page.checkoutEveryMs) {
      lastSnapshotTs = next.timestamp;
      events.push(
        { type: EventType.Meta, timestamp: next.timestamp, data: { href: page.url, width: 1280, height: 800 } } as eventWithTime,
        { type: EventType.FullSnapshot, timestamp: next.timestamp, data: { node: snapshot(page, i), initialOffset: { top: 0, left: 0 } } } as eventWithTime,
      );
    }
  }
  return events;
}

/**
 * Slices a page's events as the recorder does (recorder/src/recorder.ts): each Meta starts a batch,
 * which is sent right after its full snapshot (and the page view that follows the page's first);
 * between snapshots, a batch when the buffer is full or the flush timer fires, whichever comes first.
 */
export function sliceLikeRecorder(events: eventWithTime[]): eventWithTime[][] {
  const batches: eventWithTime[][] = [];
  let current: eventWithTime[] = [];
  let opened = events[0]?.timestamp ?? 0;
  const send = () => {
    if (current.length > 0) batches.push(current);
    current = [];
  };
  events.forEach((event, i) => {
    if (event.type === EventType.Meta) send();
    else if (current.length === BUFFER_MAX_EVENTS || event.timestamp - opened >= FLUSH_INTERVAL_MS) send();
    if (current.length === 0) opened = event.timestamp;
    current.push(event);
    const next = events[i + 1];
    const snapshotDone = event.type === EventType.FullSnapshot ? next?.type !== EventType.Custom : isPageView(event);
    if (snapshotDone) send();
  });
  send();
  return batches;
}

const isPageView = (event: eventWithTime) =>
  event.type === EventType.Custom && (event.data as { tag?: string }).tag === CUSTOM_EVENT_TAGS.pageView;

/** Gzip ingest bodies of the whole session, in seq order. */
export function sessionBodies(sessionId: string, pages: SyntheticPage[]): Buffer[] {
  let seq = 0;
  return pages.flatMap((page) =>
    sliceLikeRecorder(pageEvents(page)).map((events) => {
      const batch: IngestBatch = {
        v: WIRE_FORMAT_VERSION,
        sessionId,
        seq: seq++,
        pageId: page.pageId,
        url: page.url,
        sentAt: events[events.length - 1]!.timestamp,
        events,
      };
      return gzipSync(JSON.stringify(batch));
    }),
  );
}

/** Posts the bodies to a running server's ingest endpoint one after another, as one tab's recorder does, waiting out rate limits as it does. */
export async function ingestBodies(origin: string, siteKey: string, bodies: Buffer[]): Promise<void> {
  for (const body of bodies) {
    for (;;) {
      const response = await fetch(`${origin}${INGEST_PATH}?key=${siteKey}&enc=gzip`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: new Uint8Array(body),
      });
      if (response.status === 429 || response.status === 503) {
        await response.arrayBuffer();
        const waitS = Number(response.headers.get('retry-after')) || 1;
        await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
        continue;
      }
      if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      break;
    }
  }
}
