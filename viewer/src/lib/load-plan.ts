// Pure planning of a replay's batch requests: which batches the requested moment needs, and in what pieces to ask.
import type { BatchSummary } from './contract';

/** The server's budget per data response (MAX_BATCH_DATA_BYTES); planning within it means each piece comes whole. */
export const REQUEST_BUDGET_BYTES = 2 * 1024 * 1024;

export interface SeqRange {
  from: number;
  to: number;
}

export interface LoadPlan {
  /** Playback can start once every batch up to this seq has arrived; -1 for a session with no batches. */
  neededThroughSeq: number;
  /** Requests in the order to make them: the needed batches first, in as few pieces as the budget allows. */
  requests: SeqRange[];
}

/** Ms since epoch of the replay's zero: its earliest event, which is where rrweb's clock starts. */
export function replayStartTs(batches: readonly BatchSummary[]): number {
  return batches.reduce((min, batch) => Math.min(min, batch.firstTs), Infinity);
}

/**
 * Batches are replayed in seq order from the first: rrweb rebuilds the page at a moment from the
 * last Meta and full snapshot before it, which may be any earlier batch, and its timeline starts
 * at the first event. The moment needs every batch that starts at or before it; the piece that
 * ends with those is cut there, so the first frame never waits for batches after the moment.
 */
export function planLoad(batches: readonly BatchSummary[], atMs = 0, budgetBytes = REQUEST_BUDGET_BYTES): LoadPlan {
  if (batches.length === 0) return { neededThroughSeq: -1, requests: [] };
  const targetTs = replayStartTs(batches) + Math.max(0, atMs);
  let needed = 0;
  batches.forEach((batch, i) => {
    if (batch.firstTs <= targetTs) needed = i;
  });
  return {
    neededThroughSeq: batches[needed]!.seq,
    requests: [...pieces(batches.slice(0, needed + 1), budgetBytes), ...pieces(batches.slice(needed + 1), budgetBytes)],
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
