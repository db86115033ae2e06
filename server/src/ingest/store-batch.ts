// Stores one validated batch and updates its session and page, all in one transaction.
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { IngestResponse } from '../api-types';
import type { IngestBatch } from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import type { Repos } from '../repos/create-repos';
import type { SessionForBatch } from '../repos/sessions-repo';
import { checkSessionCaps } from './session-caps';
import { parseUserAgent } from './user-agent';

/** What storage needs from a batch; the parsed events themselves are dropped before queueing. */
export interface BatchSummary {
  sessionId: string;
  seq: number;
  pageId: string;
  url: string;
  /** Earliest and latest event timestamps, integer ms. */
  firstTs: number;
  lastTs: number;
  eventCount: number;
  /** Time of the batch's first Meta event with a full snapshot after it: a replay can start in this batch. */
  snapshotTs: number | null;
}

export interface BatchToStore {
  siteId: string;
  batch: BatchSummary;
  /** The gzip bytes to keep: the received body when it came gzipped, so nothing is deflated twice. */
  gzipBody: Buffer;
  /** Bytes of event JSON the body inflates to, counted against the session's cap. */
  inflatedBytes: number;
  userAgent: string | undefined;
  receivedAt: number;
}

export interface BatchStoreOptions {
  /**
   * Asked for each session new to the database: 0 admits it, else the ms until the site may start
   * sessions again (IngestLimits.admitSession). Every session is admitted when omitted.
   */
  admitSession?: (siteId: string, sessionId: string, now: number) => number;
}

export interface StoreBatch {
  /** Stores the batch in its own transaction, or savepoint when one is open: a refusal leaves nothing. */
  (input: BatchToStore): IngestResponse;
  /**
   * The same without a savepoint, for a caller that rolls back its whole transaction when this
   * throws: a throw can leave part of the batch written.
   */
  unguarded(input: BatchToStore): IngestResponse;
  /** Drops what the store remembers of recent sessions; the caller must call it when a commit fails. */
  forgetKnown(): void;
}

/** The two answers to a batch that was not refused; shared, since every request gets one of them. */
export const STORED: IngestResponse = Object.freeze({ stored: true, duplicate: false });
export const DUPLICATE: IngestResponse = Object.freeze({ stored: false, duplicate: true });

/** Sessions whose owner, start and pages are remembered; past this many the memory starts over. */
export const KNOWN_SESSIONS_MAX = 10_000;
/** A session's remembered page loads; a client inventing page ids cannot grow one entry past this. */
const KNOWN_PAGES_PER_SESSION_MAX = 256;

/** What is stored for a session, as of the current transaction. */
interface KnownSession extends SessionForBatch {
  /** The lowest stored seq: only a batch below it may move the start and entry URL. */
  firstSeq: number;
  /** Page id to its started_at. */
  pages: Map<string, number>;
}

/** A session id is owned by the site that sent its first batch; another site's batch is refused. */
export function sessionConflict(sessionId: string): ApiError {
  return new ApiError(409, 'session_conflict', `Session ${sessionId} belongs to another site`);
}

/** The site started as many sessions this hour as it may; the recorder retries after Retry-After. */
export function siteSessionLimit(waitMs: number): ApiError {
  return new ApiError(429, 'site_session_limit', 'This site has started as many sessions this hour as the server allows', {
    retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}

/**
 * Keeps only what storage needs, so the parsed events (thousands of small objects) become
 * garbage before the batch waits for its commit: survivors are what makes V8's young GC slow.
 */
export function summarizeBatch(batch: IngestBatch): BatchSummary {
  // Events come in emission order, but the span is taken as min/max so that cannot matter.
  let first = Infinity;
  let last = -Infinity;
  // rrweb emits Meta (4) right before each FullSnapshot (2); replay from a moment starts at the last Meta before it.
  let meta: number | null = null;
  let snapshot: number | null = null;
  for (const event of batch.events) {
    if (event.timestamp < first) first = event.timestamp;
    if (event.timestamp > last) last = event.timestamp;
    if (event.type === 4) meta ??= event.timestamp;
    else if (event.type === 2 && meta !== null) snapshot ??= meta;
  }
  const { sessionId, seq, pageId, url } = batch;
  // Columns are integer ms; rrweb emits Date.now(), so flooring only trims hand-made fractions.
  const snapshotTs = snapshot === null ? null : Math.floor(snapshot);
  return { sessionId, seq, pageId, url, firstTs: Math.floor(first), lastTs: Math.floor(last), eventCount: batch.events.length, snapshotTs };
}

/**
 * A session's later batches (nearly all of them) take a short path: its owner, totals and pages
 * are remembered from earlier batches, so the batch needs no lookup, only its writes: the chunk
 * insert, which reports a duplicate by inserting nothing, its analysis queue row and the session
 * update. A new page load of a remembered session looks up only whether the batch and the page
 * are stored. What is remembered must match the database, so it is all dropped whenever a batch,
 * its group's transaction or a commit rolls back. A row deleted behind the server's back (the
 * sqlite3 shell) makes a foreign key fail: the batch is then stored again with everything looked up.
 *
 * Before anything is written, a batch that would take its session past a cap (session-caps.ts) is
 * refused with 413, and the first batch of a session past its site's hourly allowance with 429.
 */
export function createBatchStore(db: Database, repos: Repos, options: BatchStoreOptions = {}): StoreBatch {
  const { sessions, pages, chunks, analysisQueue } = repos;
  const { admitSession = () => 0 } = options;
  const known = new Map<string, KnownSession>();

  /** Remembers the session as stored once the batch is in: its totals, lowest seq and this page. */
  function remember(sessionId: string, stored: SessionForBatch, firstSeq: number, pageId: string, pageStart: number): void {
    let session = known.get(sessionId);
    if (session === undefined) {
      if (known.size >= KNOWN_SESSIONS_MAX) known.clear();
      // Fields written out rather than spread: every entry then has one shape, and no copy is made.
      session = {
        siteId: stored.siteId,
        startedAt: stored.startedAt,
        endedAt: stored.endedAt,
        eventCount: stored.eventCount,
        pageCount: stored.pageCount,
        inflatedBytes: stored.inflatedBytes,
        firstSeq,
        pages: new Map(),
      };
      known.set(sessionId, session);
    } else {
      session.siteId = stored.siteId;
      session.startedAt = stored.startedAt;
      session.endedAt = stored.endedAt;
      session.eventCount = stored.eventCount;
      session.pageCount = stored.pageCount;
      session.inflatedBytes = stored.inflatedBytes;
      session.firstSeq = firstSeq;
    }
    rememberPage(session, pageId, pageStart);
  }

  function rememberPage(session: KnownSession, pageId: string, pageStart: number): void {
    if (!session.pages.has(pageId) && session.pages.size >= KNOWN_PAGES_PER_SESSION_MAX) session.pages.clear();
    session.pages.set(pageId, pageStart);
  }

  /** The session's totals once `batch` is added; `earlier` when it comes first in seq order. */
  function addTo(session: SessionForBatch, batch: BatchSummary, inflatedBytes: number, earlier: boolean, newPage: boolean): void {
    if (earlier) session.startedAt = Math.min(session.startedAt, batch.firstTs);
    session.endedAt = Math.max(session.endedAt, batch.lastTs);
    session.eventCount += batch.eventCount;
    session.inflatedBytes += inflatedBytes;
    if (newPage) session.pageCount += 1;
  }

  /** A batch of a remembered session and page: nothing needs looking up. */
  function storeKnown(input: BatchToStore, session: KnownSession, pageStart: number): IngestResponse {
    const { batch, gzipBody, receivedAt, inflatedBytes } = input;
    const { sessionId, seq, pageId, url, firstTs: first, lastTs: last, eventCount } = batch;
    checkSessionCaps(session, { firstTs: first, lastTs: last, eventCount, inflatedBytes, newPage: false });
    // Before any other write, so a duplicate has written nothing and needs no rollback.
    if (!chunks.insertIfNew({ sessionId, seq, pageId, firstTs: first, lastTs: last, eventCount, snapshotTs: batch.snapshotTs, body: gzipBody, receivedAt })) {
      return DUPLICATE;
    }
    analysisQueue.enqueue(sessionId, seq, receivedAt);
    if (first < pageStart) {
      pages.moveStartEarlier(sessionId, pageId, first);
      session.pages.set(pageId, first);
    }
    const earlier = seq < session.firstSeq;
    sessions.recordBatch({ id: sessionId, startedAt: first, endedAt: last, eventCount, inflatedBytes, earlier, newPages: 0, url, updatedAt: receivedAt });
    addTo(session, batch, inflatedBytes, earlier, false);
    if (earlier) session.firstSeq = seq;
    return STORED;
  }

  /**
   * A page load not remembered, of a remembered session: its owner, totals and lowest seq need no
   * lookup, only the page (which may be stored: a session's remembered pages are bounded).
   */
  function storeNewPage(input: BatchToStore, session: KnownSession): IngestResponse {
    const { batch, gzipBody, receivedAt, inflatedBytes } = input;
    const { sessionId, seq, pageId, url, firstTs: first, lastTs: last, eventCount } = batch;
    if (chunks.exists(sessionId, seq)) return DUPLICATE;
    const pageStart = pages.findStartedAt(sessionId, pageId);
    const newPage = pageStart === undefined;
    checkSessionCaps(session, { firstTs: first, lastTs: last, eventCount, inflatedBytes, newPage });
    if (pageStart === undefined) pages.insert({ sessionId, pageId, url, startedAt: first });
    else if (first < pageStart) pages.moveStartEarlier(sessionId, pageId, first);
    const earlier = seq < session.firstSeq;
    sessions.recordBatch({ id: sessionId, startedAt: first, endedAt: last, eventCount, inflatedBytes, earlier, newPages: newPage ? 1 : 0, url, updatedAt: receivedAt });
    chunks.insert({ sessionId, seq, pageId, firstTs: first, lastTs: last, eventCount, snapshotTs: batch.snapshotTs, body: gzipBody, receivedAt });
    // In the same transaction as the batch: a stored batch is never missed by the analysis pass.
    analysisQueue.enqueue(sessionId, seq, receivedAt);
    addTo(session, batch, inflatedBytes, earlier, newPage);
    if (earlier) session.firstSeq = seq;
    rememberPage(session, pageId, Math.min(pageStart ?? first, first));
    return STORED;
  }

  /** The first batch of a session or page load seen by this process: everything is looked up. */
  function storeLookedUp({ siteId, batch, gzipBody, inflatedBytes, userAgent, receivedAt }: BatchToStore): IngestResponse {
    const { sessionId, seq, pageId, url, firstTs: first, lastTs: last, eventCount } = batch;
    const existing = sessions.findForBatch(sessionId);
    // Checked before the duplicate test, so one site can never learn which batches another stored.
    if (existing !== undefined && existing.siteId !== siteId) throw sessionConflict(sessionId);
    if (existing !== undefined && chunks.exists(sessionId, seq)) return DUPLICATE;

    let pageStart: number | undefined;
    let stored: SessionForBatch;
    let firstSeq = seq;
    if (existing === undefined) {
      const waitMs = admitSession(siteId, sessionId, receivedAt);
      if (waitMs > 0) throw siteSessionLimit(waitMs);
      const empty = { siteId, startedAt: first, endedAt: last, eventCount: 0, pageCount: 0, inflatedBytes: 0 };
      checkSessionCaps(empty, { firstTs: first, lastTs: last, eventCount, inflatedBytes, newPage: true });
      sessions.insert({
        id: sessionId,
        siteId,
        startedAt: first,
        endedAt: last,
        eventCount,
        entryUrl: url,
        userAgent: userAgent ?? null,
        ...parseUserAgent(userAgent),
        receivedAt,
        inflatedBytes,
      });
      pages.insert({ sessionId, pageId, url, startedAt: first });
      stored = { ...empty, eventCount, pageCount: 1, inflatedBytes };
    } else {
      pageStart = pages.findStartedAt(sessionId, pageId);
      const newPage = pageStart === undefined;
      checkSessionCaps(existing, { firstTs: first, lastTs: last, eventCount, inflatedBytes, newPage });
      // A session whose batches were all deleted behind the server has none to come before.
      const storedFirstSeq = chunks.firstSeq(sessionId) ?? Infinity;
      const earlier = seq < storedFirstSeq;
      firstSeq = Math.min(seq, storedFirstSeq);
      if (pageStart === undefined) pages.insert({ sessionId, pageId, url, startedAt: first });
      else if (first < pageStart) pages.moveStartEarlier(sessionId, pageId, first);
      sessions.recordBatch({ id: sessionId, startedAt: first, endedAt: last, eventCount, inflatedBytes, earlier, newPages: newPage ? 1 : 0, url, updatedAt: receivedAt });
      stored = { ...existing };
      addTo(stored, batch, inflatedBytes, earlier, newPage);
    }
    chunks.insert({ sessionId, seq, pageId, firstTs: first, lastTs: last, eventCount, snapshotTs: batch.snapshotTs, body: gzipBody, receivedAt });
    // In the same transaction as the batch: a stored batch is never missed by the analysis pass.
    analysisQueue.enqueue(sessionId, seq, receivedAt);
    remember(sessionId, stored, firstSeq, pageId, Math.min(pageStart ?? first, first));
    return STORED;
  }

  function storeAny(input: BatchToStore): IngestResponse {
    const session = known.get(input.batch.sessionId);
    if (session === undefined) return storeLookedUp(input);
    if (session.siteId !== input.siteId) throw sessionConflict(input.batch.sessionId);
    const pageStart = session.pages.get(input.batch.pageId);
    return pageStart === undefined ? storeNewPage(input, session) : storeKnown(input, session, pageStart);
  }
  const store = db.transaction(storeAny);

  const forgetKnown = () => known.clear();
  return Object.assign(
    function storeBatch(input: BatchToStore): IngestResponse {
      try {
        return store(input);
      } catch (error) {
        // The savepoint rolled back, perhaps after this batch's changes to `known`.
        forgetKnown();
        if (error instanceof BetterSqlite3.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return store(input);
        throw error;
      }
    },
    {
      unguarded(input: BatchToStore): IngestResponse {
        try {
          return storeAny(input);
        } catch (error) {
          forgetKnown();
          throw error;
        }
      },
      forgetKnown,
    },
  );
}
