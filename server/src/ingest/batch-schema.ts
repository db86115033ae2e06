// The zod schema of one ingest batch, tied at compile time to the IngestBatch wire type both ways.
import type { eventWithTime } from '@rrweb/types';
import { z } from 'zod';
import { ID_PATTERN, MAX_EVENTS_PER_BATCH, WIRE_FORMAT_VERSION, type IngestBatch } from '../../../recorder/src/wire/format';

/** rrweb's EventType runs from DomContentLoaded (0) to Plugin (6). */
export const MIN_EVENT_TYPE = 0;
export const MAX_EVENT_TYPE = 6;
/** Longer than any real location.href; refusing more keeps one session row from holding megabytes. */
export const MAX_URL_LENGTH = 8192;
/**
 * A page URL is location.href of a page that ran the recorder: http or https. Anything else
 * (javascript:, data:, file:) is not a page of the site and would become a link in the viewer.
 * A browser's location.href never holds U+0000 (it is percent-encoded), and PostgreSQL's text
 * cannot store one.
 */
export const PAGE_URL_PATTERN = /^https?:\/\/[^\s/?#][^\u0000]*$/i;

const timestamp = z.number().min(0).max(Number.MAX_SAFE_INTEGER);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with one event's envelope, or undefined when it is sound. */
function envelopeIssue(event: unknown): { key?: string; message: string } | undefined {
  if (!isPlainObject(event)) return { message: 'Expected an event object' };
  const { type, timestamp: time, data } = event;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < MIN_EVENT_TYPE || type > MAX_EVENT_TYPE) {
    return { key: 'type', message: `Expected an integer from ${MIN_EVENT_TYPE} to ${MAX_EVENT_TYPE}` };
  }
  if (typeof time !== 'number' || !(time >= 0 && time <= Number.MAX_SAFE_INTEGER)) {
    return { key: 'timestamp', message: 'Expected a non-negative finite number' };
  }
  if (!isPlainObject(data)) return { key: 'data', message: 'Expected an object' };
  return undefined;
}

/**
 * Only the envelope of each event is checked: the viewer needs type and timestamp to be sane,
 * while deep-validating rrweb's payloads would cost more than the rest of ingest together.
 * The check is a plain loop rather than a zod object per event: measured on the checkout
 * fixture, that is 3 µs per 50-event batch instead of 18 µs, and zod would also copy every event.
 * Hence the cast: the envelope is checked and the rest is trusted to be an eventWithTime.
 */
const events = z
  .array(z.unknown())
  .min(1)
  .max(MAX_EVENTS_PER_BATCH)
  .superRefine((list, ctx) => {
    for (let i = 0; i < list.length; i++) {
      const issue = envelopeIssue(list[i]);
      if (issue) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.key ? [i, issue.key] : [i] });
        return; // One precise issue is enough, and stops the loop early on garbage.
      }
    }
  }) as unknown as z.ZodType<eventWithTime[]>;

const batchObject = z.object({
  v: z.literal(WIRE_FORMAT_VERSION),
  sessionId: z.string().regex(ID_PATTERN),
  seq: z.int().min(0),
  pageId: z.string().regex(ID_PATTERN),
  url: z.string().min(1).max(MAX_URL_LENGTH).regex(PAGE_URL_PATTERN, 'Expected an http(s) URL'),
  sentAt: timestamp,
  events,
  final: z.literal(true).optional(),
});

/** The annotation fails to compile if the schema accepts something that is not an IngestBatch… */
export const ingestBatchSchema: z.ZodType<IngestBatch> = batchObject;

/** …and this fails if IngestBatch gains or changes a field the schema does not check. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaCoversType: Exactly<z.output<typeof batchObject>, IngestBatch> = true;
void schemaCoversType;
