// One analysis pass: claims queued batches, decodes each once, feeds every consumer, then judges the pages they touched.
import type { Database } from 'better-sqlite3';
import type { DETECTORS } from '../detectors/detect-friction';
import { databaseUnavailable } from '../errors/database-unavailable';
import type { QueuedBatch } from '../repos/analysis-queue-repo';
import type { Repos } from '../repos/create-repos';
import type { PageRef } from '../repos/page-signals-repo';
import type { BatchConsumer, DecodedBatch, StoredBatchRef } from './batch-consumer';
import { createBatchConsumers, createPageHooks } from './batch-consumers';
import { decodeStoredBatch } from './decode-stored-batch';
import { frustrationScore } from './frustration-score';
import { judgePage, type PageJudgement } from './judge-page';
import type { PageHook } from './page-hook';
import type { PageSignal } from './page-signals';

/** Batches claimed per pass: enough to amortise the two commits, few enough to answer a SIGTERM quickly. */
export const PASS_MAX_BATCHES = 200;
/**
 * Batches, or judged pages, written per transaction. Ingest waits while the pass holds SQLite's
 * write lock, and the pass runs at a lower CPU priority: on a busy machine a long transaction is
 * preempted with the lock held and ingest stalls behind it (200 batches at once took ingest to a
 * tenth of its rate under the ingest bench). A few ms of work each keeps that rare and short.
 */
export const WRITE_CHUNK = 10;
/** A claimed batch whose worker died is claimed again after this long. */
export const CLAIM_LEASE_MS = 60_000;
/** A batch whose analysis killed its worker this many times is skipped rather than tried for ever. */
export const MAX_ANALYSIS_ATTEMPTS = 3;

export type AnalysisLog = (message: string, error?: unknown) => void;

export interface AnalysisPassDeps {
  db: Database;
  repos: Repos;
  /** A session idle this long (server clock, since its last batch) has ended: its open pages are complete. */
  idleTimeoutMs: number;
  consumers?: BatchConsumer[];
  /** Called for each judged page inside the transaction that stores its judgement. */
  pageHooks?: PageHook[];
  /** The detectors to run; all of them by default. */
  detectors?: typeof DETECTORS;
  now?: () => number;
  log?: AnalysisLog;
}

export interface PassResult {
  /** Batches taken from the queue (analysed, skipped or gone). */
  batches: number;
  skipped: number;
  pages: number;
  /** For each analysed batch, ms from stored to its page's friction committed. */
  lagsMs: number[];
}

export interface AnalysisPass {
  /** Analyses up to `limit` queued batches; a result with batches 0 means the queue was empty. */
  run(limit?: number): PassResult;
  /** Judges, as complete, pages of sessions idle past the timeout; returns how many. */
  completeIdlePages(limit?: number): number;
}

interface JudgedPage extends PageRef {
  siteId: string;
  url: string;
  judgement: PageJudgement;
  signals: PageSignal[];
}

interface Claimed extends StoredBatchRef {
  queueId: number;
  enqueuedAt: number;
}

export function createAnalysisPass(deps: AnalysisPassDeps): AnalysisPass {
  const { db, repos, idleTimeoutMs, now = Date.now, log = (message, error) => console.warn(`frictionlens: ${message}`, error ?? '') } = deps;
  const { analysisQueue, chunks, pageSignals, friction, sessions, pages } = repos;
  const consumers = deps.consumers ?? createBatchConsumers(repos, now);
  const pageHooks = deps.pageHooks ?? createPageHooks(repos);

  /** Reads one claimed batch with every consumer; undefined when it cannot be read (then recorded as skipped). */
  function readBatch(ref: Claimed, attempts: number): Array<[BatchConsumer, unknown]> | undefined | 'gone' {
    const stored = chunks.forAnalysis(ref.sessionId, ref.seq);
    if (!stored) return 'gone';
    Object.assign(ref, { siteId: stored.siteId, pageId: stored.pageId, receivedAt: stored.receivedAt });
    let decoded: DecodedBatch;
    try {
      if (attempts > MAX_ANALYSIS_ATTEMPTS) throw new Error(`gave up after ${attempts - 1} attempts that did not finish`);
      decoded = { ...ref, ...decodeStoredBatch(stored.body) };
    } catch (error) {
      log(`skipped unreadable batch ${ref.seq} of session ${ref.sessionId}:`, error);
      pageSignals.recordSkipped(ref.sessionId, ref.seq, error instanceof Error ? error.message : String(error), now());
      return undefined;
    }
    const results: Array<[BatchConsumer, unknown]> = [];
    for (const consumer of consumers) {
      try {
        results.push([consumer, consumer.read(decoded)]);
      } catch (error) {
        log(`${consumer.name} failed on batch ${ref.seq} of session ${ref.sessionId}:`, error);
      }
    }
    return results;
  }

  // The server may delete a session (DELETE /api/sessions/:id, a user's erasure) after its batch was
  // read: its results would point at rows that are gone. Checked inside the write transaction.
  const writeResults = db.transaction((read: Array<[Claimed, Array<[BatchConsumer, unknown]>]>) => {
    for (const [ref, results] of read) {
      if (!chunks.exists(ref.sessionId, ref.seq)) continue;
      for (const [consumer, result] of results) consumer.write(ref, result);
    }
  });

  /** Judges each page that still exists (a session deleted meanwhile has none). */
  function judge(refs: Iterable<PageRef>, idle: boolean): JudgedPage[] {
    const judged: JudgedPage[] = [];
    for (const page of refs) {
      const state = pageSignals.state(page.sessionId, page.pageId);
      if (!state) continue;
      const signals = pageSignals.listByPage(page.sessionId, page.pageId);
      const judgement = judgePage(page.pageId, state, signals, idle, deps.detectors);
      for (const { type, error } of judgement.failures) log(`detector ${type} failed on page ${page.pageId} of session ${page.sessionId}:`, error);
      judged.push({ ...page, siteId: state.siteId, url: state.url, judgement, signals });
    }
    return judged;
  }

  /** A savepoint per hook: one that throws loses its own writes only. */
  const runHook = db.transaction((hook: PageHook, page: JudgedPage) => hook.afterJudgement(page, page.judgement, page.signals));

  /** Stores the judgements and removes the finished queue rows in one transaction: a crash before it leaves everything to redo. */
  const storeJudgements = db.transaction((judged: JudgedPage[], queueIds: number[], at: number) => {
    const touchedSessions = new Set<string>();
    for (const page of judged) {
      const { siteId, sessionId, pageId, judgement } = page;
      // Deleted since it was judged (as in writeResults).
      if (pages.findStartedAt(sessionId, pageId) === undefined) continue;
      friction.replaceForPage(siteId, sessionId, pageId, judgement.flags);
      pages.setAnalysisFacts(sessionId, pageId, judgement.errorCount, judgement.userId);
      pageSignals.markDetected(sessionId, pageId, at, judgement.complete);
      for (const hook of pageHooks) {
        try {
          runHook(hook, page);
        } catch (error) {
          log(`page hook ${hook.name} failed on page ${pageId} of session ${sessionId}:`, error);
        }
      }
      touchedSessions.add(sessionId);
    }
    for (const sessionId of touchedSessions) {
      const counts = friction.countsBySession(sessionId);
      sessions.setAnalysis(sessionId, { friction: counts, frustrationScore: frustrationScore(counts), ...pages.sessionFacts(sessionId) });
    }
    analysisQueue.complete(queueIds);
  });

  return {
    run(limit = PASS_MAX_BATCHES) {
      const claimed = analysisQueue.claim(limit, now(), CLAIM_LEASE_MS);
      try {
        return analyse(claimed);
      } catch (error) {
        // Busy or unable to write: not the batches' fault, so the claim does not count towards
        // giving up on them, and they go back at once. Anything else waits out its lease and counts.
        if (databaseUnavailable(error)) {
          try {
            analysisQueue.release(claimed.map((row) => row.id));
          } catch {
            // Still unavailable: the lease ends on its own.
          }
        }
        throw error;
      }
    },
    completeIdlePages(limit = PASS_MAX_BATCHES) {
      const judged = judge(pageSignals.listIdle(now() - idleTimeoutMs, limit), true);
      const at = now();
      inChunks(judged, (chunk) => storeJudgements.immediate(chunk, [], at));
      return judged.length;
    },
  };

  /** Reads, stores and judges claimed batches; the queue rows go once their results are stored. */
  function analyse(claimed: QueuedBatch[]): PassResult {
    const read: Array<[Claimed, Array<[BatchConsumer, unknown]>]> = [];
    const touched = new Map<string, PageRef>();
    let skipped = 0;
    for (const row of claimed) {
      const ref: Claimed = { queueId: row.id, enqueuedAt: row.enqueuedAt, sessionId: row.sessionId, seq: row.seq, siteId: '', pageId: '', receivedAt: 0 };
      const results = readBatch(ref, row.attempts);
      if (results === 'gone') continue;
      if (results === undefined) {
        skipped++;
        continue;
      }
      read.push([ref, results]);
      touched.set(`${ref.sessionId}\n${ref.pageId}`, { sessionId: ref.sessionId, pageId: ref.pageId });
    }
    // IMMEDIATE: both transactions read before they write (is the session still there?). A deferred
    // one would take the write lock only at its first write, and fail at once with SQLITE_BUSY when
    // ingest committed in between, instead of waiting its turn; its claimed batches then sat out their lease.
    // Several short transactions: a crash between them leaves the queue rows to redo, and redoing is
    // the same work again (signals upserted, pages judged afresh).
    inChunks(read, (chunk) => writeResults.immediate(chunk));
    const judged = judge(touched.values(), false);
    const at = now();
    const queueIds = claimed.map((row) => row.id);
    inChunks(judged, (chunk, last) => storeJudgements.immediate(chunk, last ? queueIds : [], at));
    return { batches: claimed.length, skipped, pages: judged.length, lagsMs: read.map(([ref]) => at - ref.enqueuedAt) };
  }
}

/** Calls `write` with WRITE_CHUNK items at a time, in order, and once with none when there are none; `last` on the final call. */
function inChunks<T>(items: readonly T[], write: (chunk: T[], last: boolean) => void): void {
  let start = 0;
  do {
    write(items.slice(start, start + WRITE_CHUNK), start + WRITE_CHUNK >= items.length);
    start += WRITE_CHUNK;
  } while (start < items.length);
}
