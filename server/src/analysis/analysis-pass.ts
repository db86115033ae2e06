// One analysis pass: claims queued batches, decodes each once, feeds every consumer, then judges the pages they touched.
import type { DETECTORS } from '../detectors/detect-friction';
import type { QueuedBatch } from '../repos/analysis-queue-repo';
import type { AppRepos } from '../repos/create-repos';
import type { PageRef } from '../repos/page-signals-repo';
import type { BatchConsumer, DecodedBatch, StoredBatchRef } from './batch-consumer';
import type { AnalysisTransactions } from './analysis-transactions';
import { createBatchConsumers, createPageHooks } from './batch-consumers';
import { decodeStoredBatch } from './decode-stored-batch';
import { frustrationScore } from './frustration-score';
import { judgePage, type PageJudgement } from './judge-page';
import { extendReach, planJudgement, type JudgementReach } from './judgement-reach';
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
  /** The backend's transactions (sqliteTransactions, pgAnalysisDatabase); `repos` must write inside them. */
  transactions: AnalysisTransactions;
  repos: AppRepos;
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
  run(limit?: number): Promise<PassResult>;
  /** Judges, as complete, pages of sessions idle past the timeout; returns how many. */
  completeIdlePages(limit?: number): Promise<number>;
}

/** A page to judge: with the batches of it this pass analysed, and their signals when every one of them gave its own. */
interface PageToJudge extends PageRef {
  seqs: number[];
  fresh?: PageSignal[];
}

interface JudgedPage extends PageToJudge {
  /** Judged as part of an idle session (its open pages complete). */
  idle: boolean;
  siteId: string;
  url: string;
  /**
   * Null when the fresh batches cannot change the stored judgement (only the reach is written), or
   * when a long live page's judgement waits until it has grown (`deferred`: nothing is written).
   */
  judgement: PageJudgement | null;
  deferred?: true;
  signals: PageSignal[];
  reach: JudgementReach;
  /** The page's analysed batches, all of which the judgement stands for. */
  batches: number;
}

interface Claimed extends StoredBatchRef {
  queueId: number;
  enqueuedAt: number;
  /** The batch's page signals, from the consumer that extracts them. */
  signals?: readonly PageSignal[];
}

export function createAnalysisPass(deps: AnalysisPassDeps): AnalysisPass {
  const { transactions, repos, idleTimeoutMs, now = Date.now, log = (message, error) => console.warn(`frictionlens: ${message}`, error ?? '') } = deps;
  const { analysisQueue, chunks, pageSignals, friction, sessions, pages } = repos;
  const consumers = deps.consumers ?? createBatchConsumers(repos, now);
  const pageHooks = deps.pageHooks ?? createPageHooks(repos);

  /** Reads one claimed batch with every consumer; undefined when it cannot be read (then recorded as skipped). */
  async function readBatch(ref: Claimed, attempts: number): Promise<Array<[BatchConsumer, unknown]> | undefined | 'gone'> {
    const stored = await chunks.forAnalysis(ref.sessionId, ref.seq);
    if (!stored) return 'gone';
    Object.assign(ref, { siteId: stored.siteId, pageId: stored.pageId, receivedAt: stored.receivedAt });
    let decoded: DecodedBatch;
    try {
      if (attempts > MAX_ANALYSIS_ATTEMPTS) throw new Error(`gave up after ${attempts - 1} attempts that did not finish`);
      decoded = { ...ref, ...decodeStoredBatch(stored.body) };
    } catch (error) {
      await skip(ref, 'unreadable', error);
      return undefined;
    }
    const results: Array<[BatchConsumer, unknown]> = [];
    for (const consumer of consumers) {
      try {
        const result = consumer.read(decoded);
        results.push([consumer, result]);
        if (consumer.pageSignals) ref.signals = consumer.pageSignals(result);
      } catch (error) {
        log(`${consumer.name} failed on batch ${ref.seq} of session ${ref.sessionId}:`, error);
      }
    }
    return results;
  }

  /** Logs and records a batch the pass gives up on, so the queue goes on without it. */
  async function skip(ref: Claimed, why: string, error: unknown): Promise<void> {
    log(`skipped batch ${ref.seq} of session ${ref.sessionId} (${why}):`, error);
    // The message may quote the batch (a JSON parser's does); PostgreSQL's text holds no U+0000.
    const message = (error instanceof Error ? error.message : String(error)).replaceAll('\u0000', '\ufffd');
    await pageSignals.recordSkipped(ref.sessionId, ref.seq, message, now());
  }

  // The server may delete a session (DELETE /api/sessions/:id, a user's erasure) after its batch was
  // read: its results would point at rows that are gone. Checked inside the write transaction.
  const writeResults = (read: Array<[Claimed, Array<[BatchConsumer, unknown]>]>) =>
    transactions.transaction(async () => {
      for (const [ref, results] of read) {
        if (!(await chunks.exists(ref.sessionId, ref.seq))) continue;
        for (const [consumer, result] of results) await consumer.write(ref, result);
      }
    });

  /** Judges each page that still exists (a session deleted meanwhile has none). */
  async function judge(refs: Iterable<PageToJudge>, idle: boolean): Promise<JudgedPage[]> {
    const judged: JudgedPage[] = [];
    for (const page of refs) {
      const one = await judgeOne(page, idle);
      if (one) judged.push(one);
    }
    return judged;
  }

  async function judgeOne(page: PageToJudge, idle: boolean): Promise<JudgedPage | undefined> {
    const { sessionId, pageId, seqs, fresh } = page;
    const state = await pageSignals.state(sessionId, pageId);
    if (!state) return undefined;
    const base = { sessionId, pageId, seqs, fresh, idle, siteId: state.siteId, url: state.url, batches: state.batches };
    // A live page's changes and scrolls far from any click, or a long live page that has not grown
    // enough: its whole history is not read and judged again for them (judgement-reach.ts).
    const plan = planJudgement(state, fresh, seqs.length, idle);
    if (plan === 'unchanged') return { ...base, judgement: null, signals: [], reach: extendReach(state, fresh!) };
    if (plan === 'deferred') return { ...base, judgement: null, deferred: true, signals: [], reach: state };
    const signals = await pageSignals.listByPage(sessionId, pageId);
    const judgement = judgePage(pageId, state, signals, idle, deps.detectors);
    for (const { type, error } of judgement.failures) log(`detector ${type} failed on page ${pageId} of session ${sessionId}:`, error);
    return { ...base, judgement, signals, reach: judgement.reach };
  }

  /** Stores the judgements and removes the finished queue rows in one transaction: a crash before it leaves everything to redo. */
  const storeJudgements = (judged: JudgedPage[], queueIds: number[], at: number) =>
    transactions.transaction(async () => {
      // Nodes sharing a queue can analyse two batches of one page at once. Each node judged the page
      // after storing its own batch's signals; judged again under the page's lock, the judgement
      // stored last has every batch's signals, whichever node stores it.
      const locked = await transactions.lockPages(judged.map((page) => `${page.sessionId}\n${page.pageId}`));
      const touchedSessions = new Set<string>();
      for (const judgedBefore of judged) {
        const page = locked ? await judgeOne(judgedBefore, judgedBefore.idle) : judgedBefore;
        if (!page) continue;
        const { siteId, sessionId, pageId, judgement, seqs, reach, batches } = page;
        if (page.deferred) continue;
        // Deleted since it was judged (as in writeResults).
        if ((await pages.findStartedAt(sessionId, pageId)) === undefined) continue;
        if (!judgement) {
          await pageSignals.markDetected(sessionId, pageId, { at, complete: false, seqs, reach, batches });
          continue;
        }
        await friction.replaceForPage(siteId, sessionId, pageId, judgement.flags);
        await pages.setAnalysisFacts(sessionId, pageId, judgement.errorCount, judgement.userId);
        await pageSignals.markDetected(sessionId, pageId, { at, complete: judgement.complete, seqs, reach, batches });
        for (const hook of pageHooks) {
          try {
            // A savepoint per hook: one that throws loses its own writes only.
            await transactions.savepoint(() => hook.afterJudgement(page, judgement, page.signals));
          } catch (error) {
            // The database, not the hook, failed (a deadlock with another node): the whole
            // transaction goes again rather than lose the hook's writes.
            if (transactions.unavailable(error)) throw error;
            log(`page hook ${hook.name} failed on page ${pageId} of session ${sessionId}:`, error);
          }
        }
        touchedSessions.add(sessionId);
      }
      for (const sessionId of touchedSessions) {
        const counts = await friction.countsBySession(sessionId);
        await sessions.setAnalysis(sessionId, { friction: counts, frustrationScore: frustrationScore(counts), ...(await pages.sessionFacts(sessionId)) });
      }
      await analysisQueue.complete(queueIds);
    });

  return {
    async run(limit = PASS_MAX_BATCHES) {
      const claimed = await analysisQueue.claim(limit, now(), CLAIM_LEASE_MS);
      try {
        return await analyse(claimed);
      } catch (error) {
        // Busy or unable to write (on PostgreSQL also a deadlock between nodes): not the batches'
        // fault, so the claim does not count towards giving up on them, and they go back at once.
        // Anything else waits out its lease and counts.
        if (transactions.unavailable(error)) {
          try {
            await analysisQueue.release(claimed.map((row) => row.id));
          } catch {
            // Still unavailable: the lease ends on its own.
          }
        }
        throw error;
      }
    },
    async completeIdlePages(limit = PASS_MAX_BATCHES) {
      const idlePages = (await pageSignals.listIdle(now() - idleTimeoutMs, limit)).map((page) => ({ ...page, seqs: [] }));
      const judged = await judge(idlePages, true);
      const at = now();
      await inChunks(judged, (chunk) => storeJudgements(chunk, [], at));
      return judged.length;
    },
  };

  /** Reads, stores and judges claimed batches; the queue rows go once their results are stored. */
  async function analyse(claimed: QueuedBatch[]): Promise<PassResult> {
    const read: Array<[Claimed, Array<[BatchConsumer, unknown]>]> = [];
    const touched = new Map<string, PageToJudge>();
    let skipped = 0;
    for (const row of claimed) {
      const ref: Claimed = { queueId: row.id, enqueuedAt: row.enqueuedAt, sessionId: row.sessionId, seq: row.seq, siteId: '', pageId: '', receivedAt: 0 };
      const results = await readBatch(ref, row.attempts);
      if (results === 'gone') continue;
      if (results === undefined) {
        skipped++;
        continue;
      }
      read.push([ref, results]);
      const key = `${ref.sessionId}\n${ref.pageId}`;
      const page = touched.get(key) ?? { sessionId: ref.sessionId, pageId: ref.pageId, seqs: [], fresh: [] };
      page.seqs.push(ref.seq);
      // One batch without signals of its own (a consumer failed) and the page is judged whole.
      if (page.fresh && ref.signals) for (const signal of ref.signals) page.fresh.push(signal);
      else delete page.fresh;
      touched.set(key, page);
    }
    // Several short transactions: a crash between them leaves the queue rows to redo, and redoing is
    // the same work again (signals upserted, pages judged afresh).
    await inChunks(read, async (chunk) => {
      for (const [[ref], error] of await isolating(chunk, writeResults)) {
        await skip(ref, 'its results could not be stored', error);
        skipped++;
      }
    });
    const judged = await judge(touched.values(), false);
    const at = now();
    const queueIds = claimed.map((row) => row.id);
    let queueDone = false;
    await inChunks(judged, async (chunk, last) => {
      const failed = await isolating(chunk, async (pages) => {
        // The queue rows go with the last chunk stored whole, else in a transaction of their own below.
        const withQueue = last && pages === chunk;
        await storeJudgements(pages, withQueue ? queueIds : [], at);
        queueDone ||= withQueue;
      });
      for (const [page, error] of failed) log(`could not store the judgement of page ${page.pageId} of session ${page.sessionId}:`, error);
    });
    if (!queueDone) await transactions.transaction(async () => void (await analysisQueue.complete(queueIds)));
    return { batches: claimed.length, skipped, pages: judged.length, lagsMs: read.map(([ref]) => at - ref.enqueuedAt) };
  }

  /**
   * Writes `items` in one transaction; when that fails for a reason of the items' own (a value the
   * database cannot store, a consumer's bug), writes them one by one, so one bad item never holds
   * back the others, and returns those that failed alone. The database being unavailable (busy,
   * unreachable, a deadlock lost after its tries) fails the pass instead, as it would every item.
   */
  async function isolating<T>(items: T[], write: (items: T[]) => Promise<void>): Promise<Array<[T, unknown]>> {
    try {
      await write(items);
      return [];
    } catch (error) {
      if (transactions.unavailable(error)) throw error;
      if (items.length === 1) return [[items[0]!, error]];
    }
    const failed: Array<[T, unknown]> = [];
    for (const item of items) {
      try {
        await write([item]);
      } catch (error) {
        if (transactions.unavailable(error)) throw error;
        failed.push([item, error]);
      }
    }
    return failed;
  }
}

/** Calls `write` with WRITE_CHUNK items at a time, in order, and once with none when there are none; `last` on the final call. */
async function inChunks<T>(items: readonly T[], write: (chunk: T[], last: boolean) => Promise<void>): Promise<void> {
  let start = 0;
  do {
    await write(items.slice(start, start + WRITE_CHUNK), start + WRITE_CHUNK >= items.length);
    start += WRITE_CHUNK;
  } while (start < items.length);
}
