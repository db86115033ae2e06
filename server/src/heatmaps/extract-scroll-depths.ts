// Reads one batch's frictionlens.scroll-depth events (sent as each page view ends); pure.
import { EventType, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';

export interface ExtractedScrollDepth {
  ts: number;
  /** Bottom edge of the deepest viewport seen, document px. */
  maxY: number;
  documentHeight: number;
  viewportHeight: number;
}

type Data = Record<string, any>;

/** Events without a positive document and viewport height are passed over: no depth can be read from them. */
export function extractScrollDepths(events: readonly eventWithTime[]): ExtractedScrollDepth[] {
  const depths: ExtractedScrollDepth[] = [];
  for (const event of events) {
    const data = event.data as Data;
    if (event.type !== EventType.Custom || data.tag !== CUSTOM_EVENT_TAGS.scrollDepth) continue;
    const { maxY, documentHeight, viewportHeight } = (data.payload ?? {}) as Data;
    if (!isPositive(documentHeight) || !isPositive(viewportHeight) || typeof maxY !== 'number' || !Number.isFinite(maxY)) continue;
    depths.push({
      ts: Math.floor(event.timestamp),
      maxY: Math.round(Math.min(Math.max(maxY, 0), documentHeight)),
      documentHeight: Math.round(documentHeight),
      viewportHeight: Math.round(viewportHeight),
    });
  }
  return depths;
}

const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
