// Tells user activity apart from page activity: only the former keeps a session alive.
import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';

/**
 * Mutations, stylesheet changes and media timeupdates happen without a user (tickers,
 * carousels); counting them would keep an abandoned tab's session open forever.
 */
const USER_SOURCES: ReadonlySet<IncrementalSource> = new Set([
  IncrementalSource.MouseMove,
  IncrementalSource.MouseInteraction,
  IncrementalSource.Scroll,
  IncrementalSource.ViewportResize,
  IncrementalSource.Input,
  IncrementalSource.TouchMove,
  IncrementalSource.MediaInteraction,
  IncrementalSource.Drag,
  IncrementalSource.Selection,
]);

export function isActivityEvent(event: eventWithTime): boolean {
  return event.type === EventType.IncrementalSnapshot && USER_SOURCES.has(event.data.source);
}
