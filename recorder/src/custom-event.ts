// Builds one of frictionlens's own rrweb custom events, typed by its tag.
import { EventType, type eventWithTime } from '@rrweb/types';
import type { CustomEventPayloads, CustomEventTag } from './wire/format';

export function createCustomEvent<T extends CustomEventTag>(tag: T, payload: CustomEventPayloads[T], timestamp: number): eventWithTime {
  return { type: EventType.Custom, data: { tag, payload }, timestamp };
}
