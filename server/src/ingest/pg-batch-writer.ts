// Stores each validated batch in PostgreSQL with one call of store_batch (migration 008): one round trip, nothing remembered between batches.
import type { DatabaseError, Pool } from 'pg';
import type { IngestResponse } from '../api-types';
import { ApiError } from '../errors/api-error';
import { STORAGE_RETRY_AFTER_S, BUSY_RETRY_AFTER_S } from '../errors/database-unavailable';
import type { WriteBatch } from './batch-writer';
import {
  MAX_EVENTS_PER_SESSION,
  MAX_INFLATED_BYTES_PER_SESSION,
  MAX_PAGES_PER_SESSION,
  MAX_SESSION_SPAN_MS,
  checkSessionCaps,
} from './session-caps';
import { DUPLICATE, STORED, sessionConflict, siteSessionLimit, type BatchStoreOptions, type BatchToStore } from './store-batch';
import { parseUserAgent, type DeviceInfo } from './user-agent';
import { statement } from '../repos/postgres/pg-statement';


interface StoreBatchRow {
  outcome: 'stored' | 'duplicate' | 'conflict' | 'new' | 'session_limit';
  started_at: string;
  ended_at: string;
  event_count: string;
  page_count: number;
  inflated_bytes: string;
  new_page: boolean;
}

const storeBatch = statement<unknown[], StoreBatchRow>(
  'store_batch',
  `SELECT outcome, started_at, ended_at, event_count, page_count, inflated_bytes, new_page
   FROM store_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
);

/**
 * SQLSTATE classes that mean the database cannot take the batch now, not that the batch is wrong:
 * 08 connection, 53 resources (disk full, too many connections), 57 operator intervention
 * (shutdown, query canceled), 40 serialization or deadlock.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '40']);
/** Connection failures node-postgres reports without a SQLSTATE. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The 503 for a PostgreSQL error that means "not now", or undefined for any other error. */
export function postgresUnavailable(error: unknown): ApiError | undefined {
  const code = (error as Partial<DatabaseError> | undefined)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new ApiError(503, 'unavailable', 'The database cannot be reached; try again shortly', { cause: error, retryAfterS: BUSY_RETRY_AFTER_S });
  }
  if (typeof code === 'string' && code.length === 5 && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) {
    const retryAfterS = code.startsWith('53') ? STORAGE_RETRY_AFTER_S : BUSY_RETRY_AFTER_S;
    return new ApiError(503, 'unavailable', 'The server cannot store data right now', { cause: error, retryAfterS });
  }
  if (error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/i.test(error.message)) {
    return new ApiError(503, 'unavailable', 'The database cannot be reached; try again shortly', { cause: error, retryAfterS: BUSY_RETRY_AFTER_S });
  }
  return undefined;
}

/** Sent with the first call, which writes no session: parseUserAgent's answer for no header. */
const NO_DEVICE = { userAgent: null, ...parseUserAgent(undefined) };

/**
 * A batch of a stored session (nearly every one) is one call. The first batch of a session is two:
 * the first finds the session new and writes nothing, the node asks its limits to admit it (the
 * hourly cap on a site's new sessions), and the second stores it. Session caps are checked in the
 * function, under the session's row lock, against the totals every node has written; this node
 * only words the refusal, with the same message as on SQLite.
 */
export function createPgBatchWriter(pool: Pool, options: BatchStoreOptions = {}): WriteBatch {
  const { admitSession = () => 0 } = options;

  async function call(input: BatchToStore, device: (DeviceInfo & { userAgent: string | null }) | undefined): Promise<StoreBatchRow> {
    const { siteId, batch, gzipBody, inflatedBytes, receivedAt } = input;
    const d = device ?? NO_DEVICE;
    const row = await storeBatch.get(
      pool,
      siteId, batch.sessionId, batch.seq, batch.pageId, batch.url,
      batch.firstTs, batch.lastTs, batch.eventCount, batch.snapshotTs,
      gzipBody, inflatedBytes, receivedAt,
      device !== undefined, d.userAgent, d.browser, d.browserVersion, d.os, d.device,
      MAX_EVENTS_PER_SESSION, MAX_INFLATED_BYTES_PER_SESSION, MAX_PAGES_PER_SESSION, MAX_SESSION_SPAN_MS,
    );
    return row!;
  }

  function refuseOverCap(row: StoreBatchRow, input: BatchToStore): never {
    const { batch, inflatedBytes } = input;
    const totals = {
      startedAt: Number(row.started_at),
      endedAt: Number(row.ended_at),
      eventCount: Number(row.event_count),
      pageCount: row.page_count,
      inflatedBytes: Number(row.inflated_bytes),
    };
    checkSessionCaps(totals, { firstTs: batch.firstTs, lastTs: batch.lastTs, eventCount: batch.eventCount, inflatedBytes, newPage: row.new_page });
    // The function and session-caps.ts disagree: refuse all the same, as the database did.
    throw new ApiError(413, 'session_limit', 'The session would pass a limit; this session stores nothing more');
  }

  return async function writeBatch(input: BatchToStore): Promise<IngestResponse> {
    try {
      let row = await call(input, undefined);
      if (row.outcome === 'conflict') throw sessionConflict(input.batch.sessionId);
      if (row.outcome === 'new') {
        const waitMs = admitSession(input.siteId, input.batch.sessionId, input.receivedAt);
        if (waitMs > 0) throw siteSessionLimit(waitMs);
        row = await call(input, { userAgent: input.userAgent ?? null, ...parseUserAgent(input.userAgent) });
        if (row.outcome === 'conflict') throw sessionConflict(input.batch.sessionId);
      }
      if (row.outcome === 'session_limit') refuseOverCap(row, input);
      return row.outcome === 'duplicate' ? DUPLICATE : STORED;
    } catch (error) {
      throw postgresUnavailable(error) ?? error;
    }
  };
}
