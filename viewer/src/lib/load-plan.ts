// Pure planning of a replay's batch requests: which batches the requested moment needs, and in what pieces to ask.
import type { BatchSummary } from './contract';

/** The server's budget per data response (MAX_BATCH_DATA_BYTES); planning within it means each piece comes whole. */
export const REQUEST_BUDGET_BYTES = 2 * 1024 * 1024;

export interface SeqRange {
  from: number;
  to: number;
}

export interface LoadPlan {
  /** Playback can start once every batch from startSeq up to this seq has arrived; -1 for a session with no batches. */
  neededThroughSeq: number;
  /** The batch playback starts from: the last one with a snapshot at or before the moment, else the first; -1 for none. */
  startSeq: number;
  /** The batch just before startSeq, the last of those loaded after the rest; -1 when playback starts at the first. */
  lastEarlierSeq: number;
  /**
   * Requests in the order to make them, each run of batches in as few pieces as the budget allows:
   * the needed batches first (from startSeq), then those after them, then those before startSeq.
   */
  requests: SeqRange[];
}

/** Ms since epoch of the replay's zero: its earliest event, which is where rrweb's clock starts. */
export function replayStartTs(batches: readonly BatchSummary[]): number {
  return batches.reduce((min, batch) => Math.min(min, batch.firstTs), Infinity);
}

/**
 * rrweb rebuilds the page at a moment from the last Meta event and full snapshot before it
 * (discardPriorSnapshots), and its timeline starts at the first event it is given. So a moment needs
 * the batches from the last one holding a snapshot at or before it (snapshotTs: a page load, or a
 * periodic snapshot) through the last one starting at or before it; without such a batch, from the
 * first. Those come first, the piece that ends with them cut there so the first frame never waits
 * for later batches; then the rest after them, then the batches before the start, which seeking back
 * needs but the first frame does not.
 */
export function planLoad(batches: readonly BatchSummary[], atMs = 0, budgetBytes = REQUEST_BUDGET_BYTES): LoadPlan {
  if (batches.length === 0) return { neededThroughSeq: -1, startSeq: -1, lastEarlierSeq: -1, requests: [] };
  const targetTs = replayStartTs(batches) + Math.max(0, atMs);
  let needed = 0;
  batches.forEach((batch, i) => {
    if (batch.firstTs <= targetTs) needed = i;
  });
  let start = needed;
  while (start > 0 && !((batches[start]!.snapshotTs ?? Infinity) <= targetTs)) start--;
  return {
    neededThroughSeq: batches[needed]!.seq,
    startSeq: batches[start]!.seq,
    lastEarlierSeq: start > 0 ? batches[start - 1]!.seq : -1,
    requests: [
      ...pieces(batches.slice(start, needed + 1), budgetBytes),
      ...pieces(batches.slice(needed + 1), budgetBytes),
      ...pieces(batches.slice(0, start), budgetBytes),
    ],
  };
}

/** Consecutive runs of batches whose stored sizes add up to at most the budget; a larger batch goes alone. */
function pieces(batches: readonly BatchSummary[], budgetBytes: number): SeqRange[] {
  const ranges: SeqRange[] = [];
  let current: SeqRange | null = null;
  let bytes = 0;
  for (const batch of batches) {
    if (current && bytes + batch.bytes <= budgetBytes) {
      current.to = batch.seq;
      bytes += batch.bytes;
      continue;
    }
    current = { from: batch.seq, to: batch.seq };
    bytes = batch.bytes;
    ranges.push(current);
  }
  return ranges;
}
