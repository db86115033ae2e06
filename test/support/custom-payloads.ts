// The payloads of our custom events of one tag in a stored session, in stream order.
import { EventType, type eventWithTime } from '@rrweb/types';
import type { CustomEventPayloads, CustomEventTag } from '../../recorder/src/wire/format';

export function customPayloads<T extends CustomEventTag>(events: readonly eventWithTime[], tag: T): CustomEventPayloads[T][] {
  return events.flatMap((event) =>
    event.type === EventType.Custom && event.data.tag === tag ? [event.data.payload as CustomEventPayloads[T]] : [],
  );
}
