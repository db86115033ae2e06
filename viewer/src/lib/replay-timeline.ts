// Pure helpers that place a session's pages and viewport on the replayer's timeline.
import { EventType } from '@rrweb/types';
import type { PageSummary, eventWithTime } from './contract';

export interface PageMark extends PageSummary {
  /** Milliseconds from the first event, which is where the replayer's clock starts. */
  offsetMs: number;
  /**
   * Where to seek to show this page: just after its first full snapshot. A page starts with Load
   * and Meta events a few milliseconds before the snapshot, and rrweb applies only events strictly
   * before the seek point when paused, so seeking to the start still shows the previous page.
   */
  seekMs: number;
}

export function pageMarks(pages: readonly PageSummary[], events: readonly eventWithTime[]): PageMark[] {
  const start = events[0]?.timestamp ?? pages[0]?.startedAt ?? 0;
  const snapshots = events.filter((event) => event.type === EventType.FullSnapshot).map((event) => event.timestamp);
  return pages.map((page, i) => {
    const offsetMs = Math.max(0, page.startedAt - start);
    const nextStart = pages[i + 1]?.startedAt ?? Infinity;
    const snapshot = snapshots.find((timestamp) => timestamp >= page.startedAt && timestamp < nextStart);
    return { ...page, offsetMs, seekMs: snapshot === undefined ? offsetMs : snapshot - start + 1 };
  });
}

/**
 * Where a replay opened at its start is sent: just after its first full snapshot, as PageMark.seekMs,
 * so that rrweb draws it in the seek itself (sent to 0, it would draw it later, on timers). 0 when
 * the loaded events hold no snapshot.
 */
export function openingMs(events: readonly eventWithTime[]): number {
  const snapshot = events.find((event) => event.type === EventType.FullSnapshot);
  return snapshot ? snapshot.timestamp - events[0]!.timestamp + 1 : 0;
}

/** Index of the page playing at `offsetMs`: the last one that started at or before it. */
export function pageIndexAt(marks: readonly PageMark[], offsetMs: number): number {
  let index = -1;
  marks.forEach((mark, i) => {
    if (mark.offsetMs <= offsetMs) index = i;
  });
  return index === -1 && marks.length > 0 ? 0 : index;
}

export interface Viewport {
  width: number;
  height: number;
}

/** The first Meta event's window size; null when the recording has none. */
export function recordedViewport(events: readonly eventWithTime[]): Viewport | null {
  for (const event of events) {
    if (event.type !== EventType.Meta) continue;
    const { width, height } = event.data;
    if (width > 0 && height > 0) return { width, height };
  }
  return null;
}
