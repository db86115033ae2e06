// Builds the recorder-fault custom event: the last thing a broken recorder sends before it stops.
import type { eventWithTime } from '@rrweb/types';
import { createCustomEvent } from './custom-event';
import { CUSTOM_EVENT_TAGS } from './wire/format';

/** Enough to identify the fault. Stacks need no cap: engines keep about ten frames (V8's Error.stackTraceLimit). */
export const FAULT_MESSAGE_MAX_CHARS = 500;

export function createFaultEvent(error: unknown, timestamp: number): eventWithTime {
  return createCustomEvent(
    CUSTOM_EVENT_TAGS.recorderFault,
    // String(error) is "Error: message" for an Error, and whatever was thrown otherwise.
    { message: String(error).slice(0, FAULT_MESSAGE_MAX_CHARS), stack: error instanceof Error ? error.stack : undefined },
    timestamp,
  );
}
