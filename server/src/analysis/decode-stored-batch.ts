// Inflates and parses one stored batch for the analysis pass: the one decode every consumer shares.
import { gunzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { MAX_BATCH_INFLATED_BYTES } from '../../../recorder/src/wire/format';

export interface StoredBatchContent {
  url: string;
  final: boolean;
  events: eventWithTime[];
}

/**
 * An escaped U+0000 in the JSON: after an even number of backslashes (none, or escaped ones), the
 * escape itself. JSON cannot hold a raw one, so this is every NUL the events can carry.
 */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * A page's script can put U+0000 in a text node, a field or an identify call's user id, and a
 * hostile client anywhere. PostgreSQL's text and jsonb cannot hold it (SQLite can): every consumer
 * sees U+FFFD in its place, on both backends alike, so no batch is refused for it. The stored
 * batch, which replays read, keeps it.
 */
export function replaceEscapedNul(json: string): string {
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '$1\\ufffd') : json;
}

/** Throws on anything unreadable; the pass skips and records such a batch. Ingest refused larger bodies, so the cap only guards damage. */
export function decodeStoredBatch(body: Buffer): StoredBatchContent {
  const json = gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES });
  const batch = JSON.parse(replaceEscapedNul(json.toString('utf8'))) as { url?: unknown; final?: unknown; events?: unknown };
  if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.events)) throw new Error('stored batch has no events array');
  return { url: typeof batch.url === 'string' ? batch.url : '', final: batch.final === true, events: batch.events as eventWithTime[] };
}
