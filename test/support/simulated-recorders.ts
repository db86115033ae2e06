// Simulated recorders for load and crash tests: each posts a recorded visit's gzip batches at the recorder's rhythm, one at a time, retried as the recorder retries.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { loadRecording, sliceRecording } from '../../bench/recording-batches';
import { backoffMs, isRetryable, retryAfterMs } from '../../recorder/src/delivery/retry-policy';
import { INGEST_PATH, WIRE_FORMAT_VERSION, type IngestBatch } from '../../recorder/src/wire/format';

/** The recorder flushes its buffer this often (recorder/src/recorder.ts). */
export const RECORDER_FLUSH_MS = 5000;
/** An unanswered post is abandoned and retried after this long, as batch-sender.ts's REQUEST_TIMEOUT_MS. */
const REQUEST_TIMEOUT_MS = 30_000;

export const CHECKOUT_RECORDING = fileURLToPath(new URL('../fixtures/recordings/checkout-visit.json', import.meta.url));

export interface FleetOptions {
  /** Origin of the frictionlens server. */
  origin: string;
  key: string;
  recorders: number;
  /** Each recorder makes a batch this often; the recorder's own rhythm by default. */
  batchIntervalMs?: number;
  /** A recorded rrweb visit whose batches every recorder sends, page after page, again and again. */
  recordingPath?: string;
  random: () => number;
  /** Session ids are `${sessionPrefix}-${index}`: unique per run. */
  sessionPrefix: string;
  /** An X-Forwarded-For address per recorder, for a server started with TRUST_PROXY=on. */
  forwardedFor?: (index: number) => string;
}

export interface SimulatedRecorder {
  readonly sessionId: string;
  /** Batches made so far. */
  made: number;
  /** Seq to event count of every batch made. */
  readonly eventsOf: Map<number, number>;
  /** Seq to event count of every batch the server acknowledged (stored, or a duplicate of one stored). */
  readonly acked: Map<number, number>;
  /** Batches waiting to be posted, oldest first. */
  readonly queue: Array<{ seq: number; events: number; body: Uint8Array<ArrayBuffer> }>;
}

export interface FleetStats {
  made: number;
  acked: number;
  /** Answered stored:true; the rest of the acknowledged were duplicates of a batch the server already had. */
  stored: number;
  duplicates: number;
  /** Posts that failed and were retried: network errors, and refusals the recorder retries (5xx, 408, 429). */
  retried: number;
  /** Refusals the recorder drops (other 4xx), by status: a correct run has none. */
  dropped: Record<number, number>;
  /** Retried answers by status (0 for a network error). */
  failures: Record<number, number>;
}

export interface Fleet {
  readonly recorders: readonly SimulatedRecorder[];
  stats(): FleetStats;
  /** Stops making batches; what is queued is still delivered. */
  stopMaking(): void;
  /** Resolves once every recorder's queue is empty. */
  drained(): Promise<void>;
  /** Stops everything at once. */
  close(): void;
}

interface Template {
  pageId: string;
  url: string;
  events: eventWithTime[];
}

/**
 * The recording's batches, page after page, each page load under a new page id per round. Event
 * times are moved to just before the batch is made, keeping their spacing, as a live page's are.
 */
function makeBatch(templates: readonly Template[], sessionId: string, seq: number, now: number): { body: Uint8Array<ArrayBuffer>; events: number } {
  const template = templates[seq % templates.length]!;
  const round = Math.floor(seq / templates.length);
  const last = template.events[template.events.length - 1]!.timestamp;
  const events = template.events.map((event) => ({ ...event, timestamp: now - (last - event.timestamp) }));
  const batch: IngestBatch = {
    v: WIRE_FORMAT_VERSION,
    sessionId,
    seq,
    pageId: `${template.pageId}-r${round}`,
    url: template.url,
    sentAt: now,
    events,
  };
  return { body: new Uint8Array(gzipSync(JSON.stringify(batch))), events: events.length };
}

export function startFleet(options: FleetOptions): Fleet {
  const { origin, key, random, batchIntervalMs = RECORDER_FLUSH_MS } = options;
  const templates = sliceRecording(loadRecording(options.recordingPath ?? CHECKOUT_RECORDING));
  const url = `${origin}${INGEST_PATH}?key=${encodeURIComponent(key)}&enc=gzip`;
  const stats: FleetStats = { made: 0, acked: 0, stored: 0, duplicates: 0, retried: 0, dropped: {}, failures: {} };
  const timers = new Set<NodeJS.Timeout>();
  let making = true;
  let closed = false;
  let onDrained: (() => void) | undefined;

  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timers.add(timer);
  };
  const count = (record: Record<number, number>, status: number) => (record[status] = (record[status] ?? 0) + 1);

  const recorders = Array.from({ length: options.recorders }, (_, index) => {
    const recorder: SimulatedRecorder = { sessionId: `${options.sessionPrefix}-${index}`, made: 0, eventsOf: new Map(), acked: new Map(), queue: [] };
    const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' };
    if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor(index);
    let busy = false;
    let waiting = false;
    let failures = 0;

    function make(): void {
      if (!making) return;
      const seq = recorder.made++;
      stats.made++;
      const batch = makeBatch(templates, recorder.sessionId, seq, Date.now());
      recorder.eventsOf.set(seq, batch.events);
      recorder.queue.push({ seq, ...batch });
      pump();
      later(make, batchIntervalMs);
    }

    /** One post at a time, oldest first, as batch-sender.ts: a failure holds back everything behind it. */
    function pump(): void {
      if (busy || waiting || closed) return;
      const next = recorder.queue[0];
      if (!next) return checkDrained();
      busy = true;
      fetch(url, { method: 'POST', body: next.body, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
        .then(async (response) => {
          const answer = response.ok ? ((await response.json()) as { stored: boolean; duplicate: boolean }) : await response.body?.cancel();
          return { status: response.status, retryAfter: response.headers.get('retry-after'), answer };
        })
        .catch(() => ({ status: 0, retryAfter: null, answer: undefined }))
        .then(({ status, retryAfter, answer }) => {
          busy = false;
          if (status === 200 && answer) {
            failures = 0;
            recorder.queue.shift();
            recorder.acked.set(next.seq, next.events);
            stats.acked++;
            if (answer.stored) stats.stored++;
            else stats.duplicates++;
          } else if (isRetryable(status)) {
            failures++;
            stats.retried++;
            count(stats.failures, status);
            // Never sooner than the server asked, nor than the recorder's own backoff.
            waiting = true;
            later(() => {
              waiting = false;
              pump();
            }, Math.max(backoffMs(failures, random), retryAfterMs(retryAfter, Date.now()) ?? 0));
            return;
          } else {
            failures = 0;
            recorder.queue.shift();
            count(stats.dropped, status);
          }
          pump();
        });
    }

    later(make, random() * batchIntervalMs);
    return recorder;
  });

  function checkDrained(): void {
    if (onDrained && recorders.every((recorder) => recorder.queue.length === 0)) onDrained();
  }

  return {
    recorders,
    stats: () => structuredClone(stats),
    stopMaking() {
      making = false;
    },
    drained() {
      making = false;
      return new Promise<void>((resolve) => {
        onDrained = resolve;
        checkDrained();
      });
    },
    close() {
      closed = true;
      making = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
