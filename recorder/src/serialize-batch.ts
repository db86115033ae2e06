// Builds an IngestBatch JSON body around events that were serialized once, as they were recorded.
import type { IngestBatch } from './wire/format';

export type BatchHeader = Omit<IngestBatch, 'events'>;

/**
 * Events arrive as JSON strings (see event-buffer), so the body is assembled by concatenation
 * instead of a second JSON.stringify over the whole, possibly megabyte-sized, snapshot.
 */
export function serializeBatch(header: BatchHeader, eventJsons: readonly string[]): string {
  const { v, sessionId, seq, pageId, url, sentAt } = header;
  const head = JSON.stringify({ v, sessionId, seq, pageId, url, sentAt });
  return `${head.slice(0, -1)},"events":[${eventJsons.join(',')}]}`;
}
