// Builds a session's timeline from its page loads, analysed signals and friction flags: in time order, a bounded number of each kind.
import type { FrictionFlag, PageSummary, SessionTimeline, TimelineEntry, TimelineKind } from '../api-types';
import { TIMELINE_KINDS } from '../api-types';
import type { ClickSignal, ErrorSignal, RequestFailedSignal, ViewSignal } from '../analysis/page-signals';
import type { TimelineSignalRow } from '../repos/session-timeline-repo';

type TimelineSignal = ViewSignal | ClickSignal | ErrorSignal | RequestFailedSignal;
type PageEntry = Extract<TimelineEntry, { kind: 'page' }>;

export interface TimelineSources {
  /** The session's page loads, from the pages table: listed even before the analysis pass has read them. */
  pages: readonly PageSummary[];
  /** Signals of the kinds the timeline lists, in recording order (session-timeline-repo). */
  signals: Iterable<TimelineSignalRow>;
  friction: readonly FrictionFlag[];
  /** Entries kept per kind. */
  limit: number;
}

/**
 * Past `limit` entries of a kind, the rest of that kind are counted, not kept, so a session of many
 * thousand clicks costs a bounded response; the first ones as recorded are kept (seq order, which is
 * time order but for a clock that jumped). Page loads' titles come from their load page view.
 */
export function buildSessionTimeline({ pages, signals, friction, limit }: TimelineSources): Omit<SessionTimeline, 'pendingBatches'> {
  const omitted = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, 0])) as Record<TimelineKind, number>;
  const kept = Object.fromEntries(TIMELINE_KINDS.map((kind) => [kind, 0])) as Record<TimelineKind, number>;
  const entries: TimelineEntry[] = [];
  const add = (entry: TimelineEntry) => {
    if (kept[entry.kind] < limit) {
      kept[entry.kind]++;
      entries.push(entry);
    } else {
      omitted[entry.kind]++;
    }
  };

  const loads = new Map<string, PageEntry>();
  for (const page of pages) {
    const load: PageEntry = { kind: 'page', ts: page.startedAt, pageId: page.id, url: page.url, title: null, trigger: 'load' };
    loads.set(page.id, load);
    add(load);
  }
  for (const { pageId, json } of signals) {
    const signal = JSON.parse(json) as TimelineSignal;
    const entry = timelineEntry(signal, pageId);
    if (entry.kind === 'page' && entry.trigger === 'load') {
      // The page load is listed already, from the pages table; its first page view names it.
      const load = loads.get(pageId);
      if (load && load.title === null && entry.title) load.title = entry.title;
      continue;
    }
    add(entry);
  }
  for (const flag of friction) {
    add({ kind: 'friction', ts: flag.ts, pageId: flag.pageId, type: flag.type, reason: flag.reason, selector: flag.selector, url: flag.url });
  }
  // Stable: entries at the same moment keep the order above (the page first, then what happened on it).
  entries.sort((a, b) => a.ts - b.ts);
  return { entries, limit, omitted };
}

/** Route-change triggers the recorder sends; one it may send in future is listed as a route change. */
const ROUTE_TRIGGERS: ReadonlyArray<PageEntry['trigger']> = ['push-state', 'replace-state', 'popstate', 'hashchange'];

/**
 * Signals hold what the recorder sent, checked only as far as the analysis pass reads them (a click's
 * target is kept whole): whatever a page made up there reaches the viewer as text or not at all.
 */
function timelineEntry(signal: TimelineSignal, pageId: string): TimelineEntry {
  const ts = signal.t;
  switch (signal.k) {
    case 'view': {
      const trigger = (signal.trigger as string) === 'load' ? 'load' : ROUTE_TRIGGERS.find((known) => known === signal.trigger) ?? 'push-state';
      return { kind: 'page', ts, pageId, url: signal.url, title: text(signal.title), trigger };
    }
    case 'click':
      return { kind: 'click', ts, pageId, selector: signal.sel, text: text(signal.target?.text), target: text(signal.target?.kind) };
    case 'error':
      return { kind: 'error', ts, pageId, message: signal.message, source: text(signal.source), errorKind: signal.kind === 'unhandled-rejection' ? signal.kind : 'error' };
    case 'request-failed':
      return { kind: 'request', ts, pageId, method: signal.method, url: signal.url, status: signal.status, durationMs: signal.durationMs };
  }
}

/** A non-empty string, else null. */
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
