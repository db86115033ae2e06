// Builds an IngestBatch JSON body around events that were serialized once, as they were recorded.
import type { IngestBatch } from './wire/format';

export type BatchHeader = Omit<IngestBatch, 'events'>;

/**
 * The body in pieces, in order: events arrive as JSON strings (see event-buffer), so the body is
 * their concatenation instead of a second JSON.stringify over the whole, possibly megabyte-sized,
 * snapshot. The compression worker joins the pieces itself.
 */
export function serializeBatchParts(header: BatchHeader, eventJsons: readonly string[]): string[] {
  const { v, sessionId, seq, pageId, url, sentAt, final } = header;
  // final is left out unless set (JSON.stringify skips undefined).
  const head = JSON.stringify({ v, sessionId, seq, pageId, url, sentAt, final });
  const parts = [`${head.slice(0, -1)},"events":[`];
  // Commas apart: "," + json would be a new string that a postMessage copies into one piece.
  eventJsons.forEach((json, i) => (i ? parts.push(',', json) : parts.push(json)));
  parts.push(']}');
  return parts;
}

/**
 * The body as one string. Built with +=, which V8 keeps as a rope of the pieces: nothing is
 * copied until something reads the characters (a plain-JSON post, a write to storage).
 */
export function joinParts(parts: readonly string[]): string {
  let body = '';
  for (const part of parts) body += part;
  return body;
}

export function serializeBatch(header: BatchHeader, eventJsons: readonly string[]): string {
  return joinParts(serializeBatchParts(header, eventJsons));
}
