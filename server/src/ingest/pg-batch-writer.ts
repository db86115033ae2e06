// Stores validated batches in PostgreSQL: the batches queued while the node's calls are busy go together in one store_batches call (migration 010), one round trip and one commit.
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

/**
 * Calls of store_batches a node keeps in flight at once. Fewer means larger groups (fewer commits
 * and calls a batch) but each group's batches are stored one after another by one backend, and
 * wait for a free call. Measured on 2 cores (bench:ingest --postgres, 10 connections): 4 gave 0.57x
 * of the bare route at 213 + 300 µs a batch (server + database), 2 gave 0.39x at 347 + 506.
 */
export const MAX_GROUP_CALLS_IN_FLIGHT = 4;
/** Bounds a group so one call holds its sessions' row locks, and its batches' answers, for a short time. */
export const MAX_BATCHES_PER_GROUP = 64;
/** And its bodies' bytes, sent in one parameter (a batch's body is at most 1 MiB gzipped). */
export const MAX_BODY_BYTES_PER_GROUP = 4 * 1024 * 1024;

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

const storeBatches = statement<unknown[], StoreBatchRow & { idx: number }>(
  'store_batches',
  `SELECT idx, outcome, started_at, ended_at, event_count, page_count, inflated_bytes, new_page
   FROM store_batches($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
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

type Device = DeviceInfo & { userAgent: string | null };

interface Pending {
  input: BatchToStore;
  /** Set once the node's limits admitted the session (the batch's first call found it new). */
  device: Device | undefined;
  resolve: (response: IngestResponse) => void;
  reject: (error: unknown) => void;
}

/** An error that means the database is out of reach or out of resources: the group's batches would each meet it too. */
function failsEveryBatch(unavailable: ApiError | undefined, error: unknown): boolean {
  const code = (error as Partial<DatabaseError> | undefined)?.code;
  // A deadlock or serialization failure (class 40) is the group's own: its batches are tried one by one.
  return unavailable !== undefined && !(typeof code === 'string' && code.startsWith('40'));
}

/**
 * A batch of a stored session (nearly every one) is one element of a call. The first batch of a
 * session is two: the first finds the session new and writes nothing, the node asks its limits to
 * admit it (the hourly cap on a site's new sessions), and the second stores it. Session caps are
 * checked in the function, under the session's row lock, against the totals every node has
 * written; this node only words the refusal, with the same message as on SQLite.
 *
 * Grouping: a batch is queued, and a call starts in the next turn if fewer than
 * MAX_GROUP_CALLS_IN_FLIGHT are running; each call takes what is queued (up to the group's bounds)
 * and, when it ends, the next call takes what queued meanwhile. A lone batch goes alone after one
 * setImmediate; under load, each round trip and commit serves many batches. Each batch is answered
 * as soon as its group commits.
 *
 * When a group's call fails: an error that any call would meet now (no connection, disk full,
 * shutdown) refuses the whole group with 503, as one call a batch would; any other error (a batch
 * the database rejects, a deadlock) has each batch of the group stored by a call of its own, so only
 * the batch at fault is refused.
 */
export function createPgBatchWriter(pool: Pool, options: BatchStoreOptions = {}): WriteBatch {
  const { admitSession = () => 0 } = options;
  let queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function callOne(input: BatchToStore, device: Device | undefined): Promise<StoreBatchRow> {
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

  /** One row a batch, in the group's order. */
  async function callGroup(group: Pending[]): Promise<StoreBatchRow[]> {
    const column = <T>(pick: (p: Pending) => T) => group.map(pick);
    const device = <K extends keyof Device>(key: K) => column((p) => (p.device ? p.device[key] : null));
    const rows = await storeBatches.all(
      pool,
      column((p) => p.input.siteId), column((p) => p.input.batch.sessionId), column((p) => p.input.batch.seq),
      column((p) => p.input.batch.pageId), column((p) => p.input.batch.url),
      column((p) => p.input.batch.firstTs), column((p) => p.input.batch.lastTs), column((p) => p.input.batch.eventCount),
      column((p) => p.input.batch.snapshotTs),
      Buffer.concat(column((p) => p.input.gzipBody)), column((p) => p.input.gzipBody.length),
      column((p) => p.input.inflatedBytes), column((p) => p.input.receivedAt),
      column((p) => p.device !== undefined), device('userAgent'), device('browser'), device('browserVersion'), device('os'), device('device'),
      MAX_EVENTS_PER_SESSION, MAX_INFLATED_BYTES_PER_SESSION, MAX_PAGES_PER_SESSION, MAX_SESSION_SPAN_MS,
    );
    const ordered: StoreBatchRow[] = new Array(group.length);
    for (const row of rows) ordered[Number(row.idx) - 1] = row;
    return ordered;
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

  /** Answers a batch from its row, or queues it again, admitted, when its session was new. */
  function settle(pending: Pending, row: StoreBatchRow): void {
    const { input } = pending;
    try {
      if (row.outcome === 'conflict') throw sessionConflict(input.batch.sessionId);
      if (row.outcome === 'new') {
        // Only a first call finds the session new: an admitted batch inserts it, or stores into it.
        const waitMs = admitSession(input.siteId, input.batch.sessionId, input.receivedAt);
        if (waitMs > 0) throw siteSessionLimit(waitMs);
        enqueue({ ...pending, device: { userAgent: input.userAgent ?? null, ...parseUserAgent(input.userAgent) } });
        return;
      }
      if (row.outcome === 'session_limit') refuseOverCap(row, input);
      pending.resolve(row.outcome === 'duplicate' ? DUPLICATE : STORED);
    } catch (error) {
      pending.reject(error);
    }
  }

  /** The fallback: one call a batch, each answered (or refused) on its own. */
  async function storeApart(group: Pending[]): Promise<void> {
    await Promise.all(
      group.map(async (pending) => {
        let row: StoreBatchRow;
        try {
          row = await callOne(pending.input, pending.device);
        } catch (error) {
          pending.reject(postgresUnavailable(error) ?? error);
          return;
        }
        settle(pending, row);
      }),
    );
  }

  async function storeGroup(group: Pending[]): Promise<void> {
    let rows: StoreBatchRow[];
    try {
      rows = await callGroup(group);
    } catch (error) {
      const unavailable = postgresUnavailable(error);
      if (failsEveryBatch(unavailable, error) || group.length === 1) {
        for (const pending of group) pending.reject(unavailable ?? error);
        return;
      }
      await storeApart(group);
      return;
    }
    group.forEach((pending, i) => settle(pending, rows[i]!));
  }

  function takeGroup(): Pending[] {
    let count = 0;
    let bytes = 0;
    while (count < queue.length && count < MAX_BATCHES_PER_GROUP) {
      bytes += queue[count]!.input.gzipBody.length;
      if (count > 0 && bytes > MAX_BODY_BYTES_PER_GROUP) break;
      count++;
    }
    const group = queue.slice(0, count);
    queue = queue.slice(count);
    return group;
  }

  function pump(): void {
    scheduled = false;
    while (inFlight < MAX_GROUP_CALLS_IN_FLIGHT && queue.length > 0) {
      const group = takeGroup();
      inFlight++;
      void storeGroup(group).finally(() => {
        inFlight--;
        if (queue.length > 0 && !scheduled) pump();
      });
    }
  }

  function enqueue(pending: Pending): void {
    queue.push(pending);
    if (!scheduled && inFlight < MAX_GROUP_CALLS_IN_FLIGHT) {
      scheduled = true;
      setImmediate(pump);
    }
  }

  return function writeBatch(input: BatchToStore): Promise<IngestResponse> {
    return new Promise((resolve, reject) => enqueue({ input, device: undefined, resolve, reject }));
  };
}
