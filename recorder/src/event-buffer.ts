// Holds recorded events, serialized once on arrival, until the next flush.

/** Flush before the regular timer once this many events wait. */
export const BUFFER_MAX_EVENTS = 200;
/**
 * ...or once this much JSON waits (UTF-16 units; close enough to bytes for a flush trigger). Each
 * batch costs the page more than its bytes: a compression handed to the worker, a request and its
 * answer. A busy feed (6 MB of JSON a second) sends 6 batches instead of 20 at 256 KB, a burst of
 * under 1 MB goes with the next flush instead of alone (bench/RESULTS.md). The server takes 10 MB
 * inflated a batch; rrweb's JSON gzips to about a tenth.
 */
export const BUFFER_MAX_CHARS = 1024 * 1024;

export interface EventBuffer {
  /** Adds an event; true when the buffer should be flushed now. */
  push(event: unknown): boolean;
  /** Empties the buffer, returning the events as JSON strings in arrival order. */
  take(): string[];
  readonly length: number;
}

/**
 * Serializing on arrival spreads the JSON.stringify cost over the session instead of one long
 * task at flush, gives the size estimate for free, and freezes each event as it was emitted.
 */
export function createEventBuffer(maxEvents = BUFFER_MAX_EVENTS, maxChars = BUFFER_MAX_CHARS): EventBuffer {
  let events: string[] = [];
  let chars = 0;
  return {
    push(event) {
      const json = JSON.stringify(event);
      events.push(json);
      chars += json.length;
      return events.length >= maxEvents || chars >= maxChars;
    },
    take() {
      const taken = events;
      events = [];
      chars = 0;
      return taken;
    },
    get length() {
      return events.length;
    },
  };
}
