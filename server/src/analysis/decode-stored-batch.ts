// Inflates and parses one stored batch for the analysis pass: the one decode every consumer shares.
import { gunzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { MAX_BATCH_INFLATED_BYTES } from '../../../recorder/src/wire/format';

export interface StoredBatchContent {
  url: string;
  final: boolean;
  events: eventWithTime[];
}

/** Throws on anything unreadable; the pass skips and records such a batch. Ingest refused larger bodies, so the cap only guards damage. */
export function decodeStoredBatch(body: Buffer): StoredBatchContent {
  const json = gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES });
  const batch = JSON.parse(json.toString('utf8')) as { url?: unknown; final?: unknown; events?: unknown };
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.events)) throw new Error('stored batch has no events array');
  return { url: typeof batch.url === 'string' ? batch.url : '', final: batch.final === true, events: batch.events as eventWithTime[] };
}
