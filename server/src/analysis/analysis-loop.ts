// Keeps the analysis pass running: drains the queue, polls it when empty, and completes pages of idle sessions.
import type { AnalysisPass, PassResult } from './analysis-pass';

/** How often an empty queue is looked at: friction must be queryable within 5 s of its batch. */
export const ANALYSIS_POLL_MS = 250;
/** How often pages of sessions that went idle are looked for. */
export const IDLE_CHECK_MS = 5000;

export interface AnalysisLoop {
  /** Stops the loop; resolves once the tick in hand (a pass, a slice) has finished, so nothing is left half-written. */
  stop(): Promise<void>;
}

/** Work the loop does a slice at a time between passes (goal recomputation jobs). */
export interface BackgroundWork {
  readonly name: string;
  /** Does one short slice; false when there was nothing to do. */
  runSlice(): Promise<boolean>;
}

export interface AnalysisLoopOptions {
  pollMs?: number;
  background?: readonly BackgroundWork[];
  idleCheckMs?: number;
  onPass?: (result: PassResult) => void;
  onError?: (error: unknown) => void;
}

export function startAnalysisLoop(pass: AnalysisPass, options: AnalysisLoopOptions = {}): AnalysisLoop {
  const { pollMs = ANALYSIS_POLL_MS, idleCheckMs = IDLE_CHECK_MS, background = [], onPass, onError = (error) => console.error('frictionlens: analysis pass failed:', error) } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastIdleCheck = 0;
  let running: Promise<void> | undefined;

  function tick(): void {
    timer = undefined;
    if (stopped) return;
    running = step().finally(() => {
      running = undefined;
    });
  }

  /** One pass, maybe the idle pages, one slice of each background job; then the next tick is set. */
  async function step(): Promise<void> {
    let busy = false;
    try {
      const result = await pass.run();
      busy = result.batches > 0;
      if (busy) onPass?.(result);
      if (!busy && Date.now() - lastIdleCheck >= idleCheckMs) {
        lastIdleCheck = Date.now();
        await pass.completeIdlePages();
      }
      // One slice of each background job after each pass: a long job never holds the queue up.
      for (const work of background) if (await work.runSlice()) busy = true;
    } catch (error) {
      // A database error (locked past the busy timeout, disk full): the pass gave its claimed rows
      // back (AnalysisPass.run); try again after a pause rather than spinning.
      onError(error);
      busy = false;
    }
    if (stopped) return;
    // Draining: yield to the event loop (signals, IPC) between passes, then go on at once.
    timer = busy ? (setImmediate(tick) as unknown as NodeJS.Timeout) : setTimeout(tick, pollMs);
  }

  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        clearImmediate(timer as unknown as NodeJS.Immediate);
      }
      await running;
    },
  };
}
