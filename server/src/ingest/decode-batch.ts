// Turns a received ingest body into a validated IngestBatch: inflate within limits, parse, check version and schema.
import { gunzipSync } from 'node:zlib';
import {
  MAX_BATCH_INFLATED_BYTES,
  WIRE_FORMAT_VERSION,
  type IngestBatch,
} from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import { ingestBatchSchema } from './batch-schema';
import { JsonSyntaxError, scanBatchJson } from './scan-batch-json';
import { scanBatchSummary } from './scan-batch-summary';
import { summarizeBatch, type BatchSummary } from './store-batch';

/**
 * Inflates with the limit enforced by zlib as it goes, so a small gzip bomb is refused after
 * MAX_BATCH_INFLATED_BYTES of output rather than after filling memory.
 */
export function inflateBody(body: Buffer): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ApiError(413, 'payload_too_large', `Batch inflates to more than ${MAX_BATCH_INFLATED_BYTES} bytes`);
    }
    throw new ApiError(400, 'bad_compression', 'Body is not a valid gzip stream', { cause: err });
  }
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * The batch's envelope: scanBatchJson validates the whole text as JSON.parse would, but builds
 * only the fields and event envelopes the schema checks. Each returned event therefore holds only
 * `type`, `timestamp` and an empty `data`: enough for summarizeBatch, which is all ingest needs,
 * since the body itself is stored as received.
 */
export function parseBatch(json: Buffer): IngestBatch {
  let value: unknown;
  try {
    value = scanBatchJson(json);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new ApiError(400, 'invalid_json', 'Body is not valid JSON');
  }
  // The version is checked before the shape: a newer recorder's batch may differ in any field,
  // and its sender should learn the version is the problem, not some field.
  if (typeof value === 'object' && value !== null && 'v' in value && value.v !== WIRE_FORMAT_VERSION) {
    throw new ApiError(400, 'unsupported_version', `Wire format version ${JSON.stringify(value.v)} is not supported; this server speaks ${WIRE_FORMAT_VERSION}`);
  }
  const result = ingestBatchSchema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, 'invalid_batch', `Invalid batch: ${describeIssue(result.error.issues[0]!)}`);
  }
  return result.data;
}

/** The received body, inflated when it came gzipped, then parsed and validated. */
export function decodeBatch(received: Buffer, gzip: boolean): { batch: IngestBatch; json: Buffer } {
  const json = gzip ? inflateBody(received) : received;
  return { batch: parseBatch(json), json };
}

/**
 * What ingest keeps of a received body: its summary and the JSON it inflates to. Nearly every
 * body takes scanBatchSummary's path, which builds no event; one it does not vouch for is decoded
 * the full way, so a refusal says exactly what decodeBatch would.
 */
export function decodeBatchSummary(received: Buffer, gzip: boolean): { summary: BatchSummary; json: Buffer } {
  const json = gzip ? inflateBody(received) : received;
  let summary: BatchSummary | undefined;
  try {
    summary = scanBatchSummary(json);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
  }
  return { summary: summary ?? summarizeBatch(parseBatch(json)), json };
}
