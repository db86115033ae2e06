// The contract between the analysis pass and each analysis it feeds: read a decoded batch, then store what was read.
import type { eventWithTime } from '@rrweb/types';
import type { PageSignal } from './page-signals';

/** Where a stored batch belongs. */
export interface StoredBatchRef {
  siteId: string;
  sessionId: string;
  seq: number;
  pageId: string;
  /** Server clock when it was stored. */
  receivedAt: number;
}

/** A stored batch, inflated and parsed once by the pass, handed to every consumer. */
export interface DecodedBatch extends StoredBatchRef {
  /** The page load's URL, as the batch gives it. */
  url: string;
  /** The page's last batch (see IngestBatch.final). */
  final: boolean;
  events: readonly eventWithTime[];
}

/**
 * One analysis of the pass: the detectors' signals now, click and scroll extraction and goal
 * completions later. `read` is pure and runs outside any transaction; `write` runs inside the
 * pass's transaction, awaits each repository call (PostgreSQL's answer comes later), and must replace whatever an earlier run stored for the same batch, since a
 * batch is analysed again by `npm run redetect` and after a worker died mid-pass.
 */
export interface BatchConsumer<R = unknown> {
  readonly name: string;
  read(batch: DecodedBatch): R;
  write(batch: StoredBatchRef, result: R): Promise<void>;
  /**
   * The batch's page signals, for the consumer that extracts them: the pass then skips judging a
   * page again when they cannot change its friction (judgement-reach.ts).
   */
  pageSignals?(result: R): readonly PageSignal[];
}
