// Fetches a session's stored batches piece by piece, inflating and parsing them in order, within a size limit.
import type { ApiClient } from './api-client';
import { readBatchFrames, type BatchFrame } from './batch-frames';
import type { eventWithTime } from './contract';
import { INFLATE_AHEAD, inflateFrame, inflatedAhead, type InflatedAhead, type Inflated } from './inflated-ahead';
import type { SeqRange } from './load-plan';

/**
 * Most event JSON one replay loads, about nine 60-minute sessions of a busy page (22 MB each,
 * 37 MB of heap once parsed: bench/replay-first-frame.ts). Past this a long or abusive recording
 * could take the tab down; the replay stops there and says so instead.
 */
export const MAX_REPLAY_JSON_BYTES = 200 * 1024 * 1024;
/**
 * Longest stretch of inflating and parsing before the browser gets its turn. The inflations resolve
 * as microtasks, so without a break a 60-minute recording loading behind the first frame held the
 * main thread for seconds at a time: no drawing, no input, the player's own timers late.
 */
const SLICE_MS = 12;

export interface LoadedPiece {
  events: eventWithTime[];
  /** Seq of the last batch this piece covered. */
  throughSeq: number;
  /** Batches covered, counting skipped ones. */
  batches: number;
}

export interface LoadOutcome {
  /** Batches that could not be read (damaged, or over the per-batch limit) and were left out. */
  skipped: number;
  /** True when loading stopped at MAX_REPLAY_JSON_BYTES (or the given limit) before the last batch. */
  truncated: boolean;
}

export interface LoadOptions {
  client: ApiClient;
  sessionId: string;
  requests: readonly SeqRange[];
  /**
   * Called in seq order with each piece's events; false stops loading (a newer load took over). A
   * promise holds the next piece's inflating and parsing until it settles, so the work for the
   * rest does not take the main thread while the player draws its first frame.
   */
  onPiece: (piece: LoadedPiece) => boolean | Promise<boolean>;
  maxJsonBytes?: number;
  /** Batches a replay link's entry has inflated already (lib/replay-prefetch.ts); the viewer's one by default. */
  ahead?: InflatedAhead;
}

/**
 * Pieces are fetched one ahead of the one being inflated, so the network and the parsing overlap.
 * The server may answer a piece short (a session still growing, or a budget it counts differently):
 * the rest of that range is fetched before going on, keeping seq order.
 */
export async function loadBatches({
  client,
  sessionId,
  requests,
  onPiece,
  maxJsonBytes = MAX_REPLAY_JSON_BYTES,
  ahead = inflatedAhead,
}: LoadOptions): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { skipped: 0, truncated: false };
  let jsonBytes = 0;
  let sliceStart = performance.now();
  const fetchRange = (range: SeqRange) => client.getBatchData(sessionId, range.from, range.to);
  let next: Promise<ArrayBuffer> | null = requests[0] ? fetchRange(requests[0]) : null;

  for (let i = 0; i < requests.length; i++) {
    let range = requests[i]!;
    let data = await next!;
    next = requests[i + 1] ? fetchRange(requests[i + 1]!) : null;
    // Keeps a prefetch that is no longer awaited (the loop ended early) from reporting an unhandled rejection.
    next?.catch(() => {});
    for (;;) {
      const frames = readBatchFrames(data);
      const piece: LoadedPiece = { events: [], throughSeq: range.to, batches: 0 };
      for await (const result of inflateInOrder(frames, (frame) => ahead.take(sessionId, frame) ?? inflateFrame(frame))) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToBrowser();
          sliceStart = performance.now();
        }
        if (!result.error && jsonBytes + result.bytes > maxJsonBytes) {
          outcome.truncated = true;
          onPiece(piece);
          return outcome;
        }
        piece.throughSeq = result.frame.seq;
        piece.batches++;
        if (result.error) {
          console.warn(`frictionlens: skipped unreadable batch ${result.frame.seq} of session ${sessionId}:`, result.error);
          outcome.skipped++;
          continue;
        }
        jsonBytes += result.bytes;
        for (const event of result.events) piece.events.push(event);
      }
      if (!(await onPiece(piece))) return outcome;
      // An empty answer means the batches of this range are gone: nothing more to wait for.
      if (frames.length === 0 || piece.throughSeq >= range.to) break;
      range = { from: piece.throughSeq + 1, to: range.to };
      data = await fetchRange(range);
    }
  }
  return outcome;
}

/** Resolves in a task of its own (a message, which unlike a timer is never clamped), after whatever the browser has queued. */
function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Yields each frame's events in order, with up to INFLATE_AHEAD inflations running. */
async function* inflateInOrder(frames: readonly BatchFrame[], inflate: (frame: BatchFrame) => Promise<Inflated>): AsyncGenerator<Inflated> {
  const running: Array<Promise<Inflated>> = [];
  let started = 0;
  while (started < frames.length && running.length < INFLATE_AHEAD) running.push(inflate(frames[started++]!));
  while (running.length > 0) {
    yield await running.shift()!;
    if (started < frames.length) running.push(inflate(frames[started++]!));
  }
}
