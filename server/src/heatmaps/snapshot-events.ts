// Cuts one page load's events down to what rebuilds the page at its snapshot moment: Meta, the full snapshot, and DOM changes before the visitor acted; pure.
import { EventType, IncrementalSource, MouseInteractions, type eventWithTime } from '@rrweb/types';

/** What changes the DOM or its styles; scrolls, inputs, pointer moves and our own events are left out. */
const DOM_SOURCES = new Set<number>([
  IncrementalSource.Mutation,
  IncrementalSource.StyleSheetRule,
  IncrementalSource.StyleDeclaration,
  IncrementalSource.AdoptedStyleSheet,
  IncrementalSource.Font,
]);
/** rrweb's own record of a press: the press starts at mousedown, before the click our moment is taken from. */
const PRESSES = new Set<number>([MouseInteractions.MouseDown, MouseInteractions.TouchStart, MouseInteractions.Click, MouseInteractions.ContextMenu]);

/**
 * From the full snapshot taken at `snapshotTs` (with the last Meta before it) to the moment: the
 * first press or input rrweb saw, or `untilTs`, whichever is first. A later full snapshot (recording
 * resumed) ends it too. Empty when the snapshot is not there.
 */
export function snapshotEvents(events: readonly eventWithTime[], snapshotTs: number, untilTs: number): eventWithTime[] {
  const start = events.findIndex((event) => event.type === EventType.FullSnapshot && event.timestamp >= snapshotTs);
  if (start < 0) return [];
  let meta: eventWithTime | undefined;
  for (let i = start - 1; i >= 0 && !meta; i--) if (events[i]!.type === EventType.Meta) meta = events[i];
  const kept: eventWithTime[] = meta ? [meta, events[start]!] : [events[start]!];
  for (const event of events.slice(start + 1)) {
    if (event.timestamp >= untilTs || event.type === EventType.FullSnapshot) break;
    if (event.type !== EventType.IncrementalSnapshot) continue;
    const data = event.data as { source: number; type?: number };
    if (data.source === IncrementalSource.Input) break;
    if (data.source === IncrementalSource.MouseInteraction && PRESSES.has(data.type ?? -1)) break;
    if (DOM_SOURCES.has(data.source)) kept.push(event);
  }
  return kept;
}
