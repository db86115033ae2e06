// Places a judged page's heatmap rows: the page view each click and scroll depth belongs to, the deepest depth of each view, the snapshot moment; pure.
import type { PageSignal, ViewSignal } from '../analysis/page-signals';

/** The URL of the last page view at or before `ts` (strictly before, with `strict`), else the first one, else `fallback`. */
export function viewUrlAt(views: readonly ViewSignal[], ts: number, fallback: string, strict = false): string {
  let url: string | undefined;
  for (const view of views) {
    if (strict ? view.t >= ts : view.t > ts) break;
    url = view.url;
  }
  return url ?? views[0]?.url ?? fallback;
}

export interface ScrollDepthRef {
  id: number;
  ts: number;
  maxY: number;
}

/**
 * A view can send its depth several times (each time the tab is hidden), each at least as deep as
 * the last: only the deepest of each view counts. A depth is sent as its view ends, before the next
 * view's event, so it belongs to the last view that started strictly before it.
 */
export function deepestPerView(depths: readonly ScrollDepthRef[], views: readonly ViewSignal[]): Map<number, string> {
  const best = new Map<number, ScrollDepthRef & { url: string }>();
  for (const depth of depths) {
    let index = 0;
    for (let i = 0; i < views.length && views[i]!.t < depth.ts; i++) index = i;
    const current = best.get(index);
    if (!current || depth.maxY > current.maxY || (depth.maxY === current.maxY && depth.ts >= current.ts)) {
      best.set(index, { ...depth, url: views[index]?.url ?? '' });
    }
  }
  return new Map([...best.values()].map((depth) => [depth.id, depth.url]));
}

export interface LoadMoment {
  snapshotTs: number;
  width: number;
  height: number;
  /** The visitor's first click, input or field focus after the snapshot; null while there is none. */
  momentTs: number | null;
}

const INTERACTIONS = new Set<PageSignal['k']>(['click', 'input', 'field', 'form']);

/**
 * The page as every visitor first saw it: the first full snapshot, with the changes that came after
 * it (content rendered by scripts, lazy parts) up to the visitor's first interaction, which is
 * where the visitor starts changing it (an open menu, validation messages, typed text).
 */
export function loadMoment(sortedSignals: readonly PageSignal[]): LoadMoment | undefined {
  const index = sortedSignals.findIndex((signal) => signal.k === 'snapshot' && (signal.width ?? 0) > 0);
  if (index < 0) return undefined;
  const snapshot = sortedSignals[index] as Extract<PageSignal, { k: 'snapshot' }>;
  const interaction = sortedSignals.slice(index + 1).find((signal) => INTERACTIONS.has(signal.k));
  return { snapshotTs: snapshot.t, width: snapshot.width!, height: snapshot.height ?? 0, momentTs: interaction?.t ?? null };
}
