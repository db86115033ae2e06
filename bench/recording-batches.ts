// Turns a recorded rrweb visit into the gzip ingest bodies the recorder would send, unique per request.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { WIRE_FORMAT_VERSION, type IngestBatch } from '../recorder/src/wire/format';

/** The recorder flushes about this many events per batch in a busy session. */
export const EVENTS_PER_BATCH = 50;
const META = 4;

interface BatchTemplate {
  pageId: string;
  url: string;
  events: eventWithTime[];
}

const DOM_CONTENT_LOADED = 0;
const LOAD = 1;

/**
 * Splits the recording into page loads, then each page load into EVENTS_PER_BATCH slices, so the
 * first batch of each page carries its full snapshot just as in a real session. A page load
 * starts at its Meta event together with the DomContentLoaded and Load events rrweb emits just
 * before it.
 */
export function sliceRecording(events: eventWithTime[]): BatchTemplate[] {
  const pages: eventWithTime[][] = [[]];
  for (const event of events) {
    let current = pages[pages.length - 1]!;
    if (event.type === META && current.some((e) => e.type === META)) {
      let start = current.length;
      while (start > 0 && (current[start - 1]!.type === DOM_CONTENT_LOADED || current[start - 1]!.type === LOAD)) start--;
      const next = current.splice(start);
      pages.push(next);
      current = next;
    }
    current.push(event);
  }
  return pages.flatMap((pageEvents, pageIndex) => {
    const meta = pageEvents.find((event) => event.type === META) as { data: { href: string } } | undefined;
    const url = meta?.data.href ?? 'https://shop.example/';
    const slices: BatchTemplate[] = [];
    for (let i = 0; i < pageEvents.length; i += EVENTS_PER_BATCH) {
      slices.push({ pageId: `page-${pageIndex}`, url, events: pageEvents.slice(i, i + EVENTS_PER_BATCH) });
    }
    return slices;
  });
}

export function loadRecording(path: string): eventWithTime[] {
  const events = JSON.parse(readFileSync(path, 'utf8')) as eventWithTime[];
  if (!Array.isArray(events) || events.length === 0) throw new Error(`${path} holds no rrweb events`);
  return events;
}

/**
 * `count` gzip bodies: whole sessions of the sliced recording in order, each session with its own
 * id, so every (sessionId, seq) is new and no request takes the cheaper duplicate path.
 */
export function buildBodies(templates: BatchTemplate[], count: number, runId: string): Buffer[] {
  const bodies: Buffer[] = [];
  for (let session = 0; bodies.length < count; session++) {
    const sessionId = `bench-${runId}-${session.toString(36).padStart(6, '0')}`;
    templates.forEach((template, seq) => {
      if (bodies.length >= count) return;
      const batch: IngestBatch = {
        v: WIRE_FORMAT_VERSION,
        sessionId,
        seq,
        pageId: `${template.pageId}-${sessionId}`,
        url: template.url,
        sentAt: template.events[template.events.length - 1]!.timestamp + 100,
        events: template.events,
      };
      bodies.push(gzipSync(JSON.stringify(batch)));
    });
  }
  return bodies;
}
