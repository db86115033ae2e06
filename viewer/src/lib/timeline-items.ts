// Pure helpers that turn a session's timeline into the player's list and markers: labels, offsets, the current entry, the next friction.
import type { FrictionType, TimelineEntry, TimelineKind } from './contract';
import { FRICTION_LABELS } from './friction-labels';
import { urlPath } from './format';
import type { PageMark } from './replay-timeline';

export interface TimelineItem {
  /** Unique in the list. */
  key: string;
  kind: TimelineKind;
  /** Ms from the replay's start. */
  offsetMs: number;
  /** Where choosing it moves the replay: its moment, or just after the snapshot of a page load (see PageMark.seekMs). */
  seekMs: number;
  /** One line saying what happened: "Clicked “Check out”". */
  label: string;
  /** The line under it: a friction flag's reason, a click's selector, an error's script. */
  detail: string | null;
  /** Friction flags and uncaught errors are marked on the progress bar. */
  marked: boolean;
  frictionType: FrictionType | null;
  /** Page loads: the page's URL, for its heatmap link. */
  pageUrl: string | null;
}

/** "Previous friction" within this long after one goes to the one before it, as a media player's previous track does. */
export const PREVIOUS_GRACE_MS = 1000;

/** The entries placed on the replay's clock (`startTs` is its zero), labelled; page loads seek where their page shows. */
export function timelineItems(entries: readonly TimelineEntry[], startTs: number, pages: readonly PageMark[] = []): TimelineItem[] {
  const pageSeek = new Map(pages.map((page) => [page.id, page.seekMs]));
  return entries.map((entry, index) => {
    const offsetMs = Math.max(0, entry.ts - startTs);
    const load = entry.kind === 'page' && entry.trigger === 'load';
    return {
      key: `${entry.kind}-${index}`,
      kind: entry.kind,
      offsetMs,
      seekMs: load ? (pageSeek.get(entry.pageId) ?? offsetMs) : offsetMs,
      ...describe(entry),
      marked: entry.kind === 'friction' || entry.kind === 'error',
      frictionType: entry.kind === 'friction' ? entry.type : null,
      pageUrl: load ? entry.url : null,
    };
  });
}

function describe(entry: TimelineEntry): { label: string; detail: string | null } {
  switch (entry.kind) {
    case 'page':
      return entry.trigger === 'load'
        ? { label: `Opened ${entry.title ?? urlPath(entry.url)}`, detail: urlPath(entry.url) }
        : { label: `Went to ${entry.title ?? urlPath(entry.url)} in the page`, detail: urlPath(entry.url) };
    case 'click':
      return { label: entry.text ? `Clicked “${entry.text}”` : `Clicked ${clickedThing(entry.target)}`, detail: entry.selector };
    case 'error':
      return { label: `${entry.errorKind === 'unhandled-rejection' ? 'Unhandled rejection' : 'Error'}: ${entry.message}`, detail: entry.source ? urlPath(entry.source) : null };
    case 'request':
      return {
        label: `${entry.method} ${urlPath(entry.url)} failed`,
        detail: `${entry.status === 0 ? 'Network error' : `Status ${entry.status}`} after ${Math.round(entry.durationMs)} ms`,
      };
    case 'friction': {
      const name = FRICTION_LABELS[entry.type].singular;
      return { label: name.charAt(0).toUpperCase() + name.slice(1), detail: entry.reason };
    }
  }
}

/** What a click without text pressed: "a field", "a link", "an image", else the element. */
function clickedThing(target: string | null): string {
  if (!target) return 'the page';
  if (/^(input|textarea|select)/.test(target)) return 'a field';
  if (target === 'a') return 'a link';
  if (target === 'img') return 'an image';
  if (target === 'button') return 'a button';
  return `a ${target.split(':')[0]} element`;
}

/**
 * Index of the entry the replay has reached: the last at or before `currentMs`; -1 before the first.
 * Of entries at the same moment (a click and the flag it raised), `preferredKey` wins when it is one
 * of them: the one just chosen stays highlighted.
 */
export function currentItemIndex(items: readonly TimelineItem[], currentMs: number, preferredKey: string | null = null): number {
  // Items are in time order: binary search, as this runs on every frame of playback.
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (items[mid]!.offsetMs <= currentMs) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (found < 0 || preferredKey === null) return found;
  const moment = items[found]!.offsetMs;
  for (let i = found; i >= 0 && items[i]!.offsetMs === moment; i--) if (items[i]!.key === preferredKey) return i;
  return found;
}

/** The first friction flag after `currentMs`, or null. */
export function nextFriction(items: readonly TimelineItem[], currentMs: number): TimelineItem | null {
  return items.find((item) => item.kind === 'friction' && item.offsetMs > currentMs) ?? null;
}

/** The last friction flag more than PREVIOUS_GRACE_MS before `currentMs`, or null. */
export function previousFriction(items: readonly TimelineItem[], currentMs: number): TimelineItem | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === 'friction' && item.offsetMs < currentMs - PREVIOUS_GRACE_MS) return item;
  }
  return null;
}
