// Builds the frictionlens page-view custom event that opens each page's recording.
import { EventType, type eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS, type PageViewPayload } from './wire/format';

export function createPageViewEvent(payload: PageViewPayload, timestamp: number): eventWithTime {
  return { type: EventType.Custom, data: { tag: CUSTOM_EVENT_TAGS.pageView, payload }, timestamp };
}
