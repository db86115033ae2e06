// Delivers batches: compressed, then posted one at a time, oldest first, retried until the server has them; stored when they could be lost.
import { createBatchQueue, type OutgoingBatch, type QueueStorage, type QueuedBatch } from './delivery/batch-queue';
import { fromBase64 } from './delivery/base64';
import { backoffMs, isRetryable, retryAfterMs } from './delivery/retry-policy';
import { createGuard } from './guard';
import type { Gzip } from './gzip';
import { gzipBatchNow } from './gzip-now';
import { utf8ByteLength } from './utf8-byte-length';
import { INGEST_ENCODING_PARAM, INGEST_KEY_PARAM, INGEST_PATH, type DroppedPayload } from './wire/format';

/** Chromium lets a page have at most 64 KiB of keepalive request bodies in flight at once. */
export const KEEPALIVE_QUOTA_BYTES = 64 * 1024;
/** Largest body we send with keepalive, leaving part of the quota for a second, small one. */
export const KEEPALIVE_MAX_BODY_BYTES = 60_000;
/**
 * A batch still compressing in the worker when the page goes is compressed on the page's thread
 * up to this size (a full event buffer and the event that filled it: about 25 ms a MB), then
 * posted or stored; a larger one is stored as the JSON it is.
 */
export const LATE_JOB_MAX_CHARS = 2 * 1024 * 1024;
/** An unanswered request is abandoned and retried after this long: one hung request would stall the queue. */
export const REQUEST_TIMEOUT_MS = 30_000;

export type { OutgoingBatch };

export interface BatchSender {
  /**
   * Compresses and queues a batch, to be posted after those queued before it.
   * keepalive: the tab is hidden and may be closed without another event; everything unsent is stored.
   */
  send(batch: OutgoingBatch, options?: { keepalive?: boolean }): void;
  /**
   * The page is going: posts with keepalive, oldest first, what fits the quota: the queue, including
   * a batch in flight with a plain request (leaving cancels it; the server keeps one copy), then
   * batches still compressing (gzipped here, synchronously), then the page's last ones, which
   * pack() makes (gzipped too, see pack-for-keepalive.ts). Each goes as soon as it is ready: the
   * browser may end a page whose pagehide takes long. From the first batch that does not fit on,
   * the rest is stored for a later page load, and report() makes the batch that tells the server
   * so, posted in the room left.
   */
  sendNow(pack: () => readonly OutgoingBatch[], report?: (parked: DroppedPayload) => OutgoingBatch): void;
  /** Batches dropped from the full queue since last asked, for the recorder to report in the stream. */
  takeDropped(): DroppedPayload | null;
  /** Consent withdrawn: forgets every batch not yet posted, in memory and in storage. */
  discard(): void;
}

export type SenderWindow = Pick<Window, 'addEventListener'> & {
  navigator: Pick<Navigator, 'onLine'>;
  localStorage?: QueueStorage;
};

export interface BatchSenderOptions {
  endpoint: string;
  siteKey: string;
  /** Batches wait until the session has lasted this long; a shorter session sends nothing. */
  minDurationMs?: number;
  fetch: typeof fetch;
  gzip: Gzip | null;
  win: SenderWindow;
  /** The session this page records into now; minDurationMs counts from its start. */
  session: () => { readonly sessionId: string; readonly startedAt: number };
  /** The server refused the session being recorded now for good (a cap): record no more of it. */
  onRefused?: () => void;
  now?: () => number;
  random?: () => number;
}

/**
 * Batches live in memory and are posted as the gzip bytes they were compressed to; only when they
 * could be lost are they stored (as base64) for a later page load: the tab is hidden or going
 * (except a batch on its way with keepalive), a post failed, the browser is offline, or the
 * server refused the key. Encoding and writing
 * every batch to localStorage would cost the main thread on every flush for the rare page that
 * crashes mid-send.
 *
 * Sequential on purpose: one request in flight keeps batches in order, never posts one batch
 * twice at once, and lets a failure hold back everything behind it. A batch leaves the queue
 * when the server stores it, reports it a duplicate, or refuses it for good (a 4xx other than
 * 408 and 429: sending it again cannot help). 401 and 403 (unknown key, origin not allowed)
 * stop sending for this page. A session past one of the server's caps (413 session_limit; 429
 * site_session_limit, the site's new sessions this hour) is refused for good: its batches are
 * forgotten and no more are sent; 429 rate_limited is retried after Retry-After. Callbacks run under their own guard: a fault stops delivery, and
 * what is stored waits for the next page load.
 */
export function createBatchSender(options: BatchSenderOptions): BatchSender {
  const { fetch, gzip, win, session, minDurationMs = 0, now = Date.now, random = Math.random } = options;
  const queue = createBatchQueue(openLocalStorage(win), now);
  /** Batches being compressed, oldest first; sendNow takes them over. */
  const jobs = new Set<OutgoingBatch>();
  const ingestUrl = `${options.endpoint}${INGEST_PATH}?${INGEST_KEY_PARAM}=${encodeURIComponent(options.siteKey)}&${INGEST_ENCODING_PARAM}=`;
  let stopped = false;
  const guard = createGuard(() => (stopped = true));
  let compressing: Promise<unknown> = Promise.resolve();
  let busy: QueuedBatch | null = null;
  /** The batch in flight went with keepalive: it reaches the server even if the page is gone. */
  let busyKeepalive = false;
  /**
   * The last batch came while the tab was hidden: what is posted until the next visible one goes
   * with keepalive where it fits, also a batch made before the tab was hidden and compressed after.
   * A plain post would die with a closed tab, so it would have to be stored (base64 and a
   * localStorage write, on the page's thread) for as long as it is on its way.
   */
  let hidden = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let keepaliveBytes = 0;
  /** Sessions the server refused for good. */
  const refused: string[] = [];

  const holdUntil = () => (minDurationMs > 0 ? session().startedAt + minDurationMs : 0);
  const fits = (bytes: number) => bytes <= KEEPALIVE_MAX_BODY_BYTES && keepaliveBytes + bytes <= KEEPALIVE_QUOTA_BYTES;

  /** Delivery is failing, or about to: what waits in memory goes to storage too. */
  const atRisk = () => stopped || failures > 0 || win.navigator.onLine === false;

  function enqueue(batch: OutgoingBatch, persist = atRisk()): QueuedBatch | undefined {
    if (refused.includes(batch.sessionId)) return;
    return queue.add(batch, batch.sessionId === session().sessionId ? holdUntil() : 0, persist);
  }

  /** Gzip in memory is sent as it is, a stored base64 body decoded; a "{…" body is sent as the plain JSON it is. */
  function encode(batch: QueuedBatch): [body: string | Uint8Array<ArrayBuffer>, bytes: number] {
    if (batch.gzip) return [batch.gzip, batch.gzip.length];
    if (batch.body[0] === '{') return [batch.body, utf8ByteLength(batch.body)];
    const bytes = fromBase64(batch.body);
    return [bytes, bytes.length];
  }

  /** Returns whether the request went with keepalive. */
  function post(batch: QueuedBatch, keepalive: boolean, onDone?: (response: Response | null, text?: string) => void): boolean {
    const [body, bytes] = encode(batch);
    keepalive &&= fits(bytes);
    if (keepalive) keepaliveBytes += bytes;
    const settle = guard.wrap((response: Response | null, text?: string) => {
      if (keepalive) keepaliveBytes -= bytes;
      onDone?.(response, text);
    });
    try {
      fetch(ingestUrl + (typeof body === 'string' ? 'identity' : 'gzip'), {
        method: 'POST',
        body,
        // text/plain is CORS-safelisted: no preflight, which a request on pagehide could not wait for.
        headers: { 'Content-Type': 'text/plain' },
        keepalive,
        credentials: 'omit',
        // A keepalive request must outlive the page; the timeout only frees the queue of a living one.
        // AbortSignal.timeout: Chrome 103, Firefox 100, Safari 16; older browsers wait as long as the network does.
        signal: keepalive || !AbortSignal.timeout ? undefined : AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then(
        // The error's code tells a cap (refused for good) from a rate limit: a short JSON body, read only then.
        (response) => (response.status === 413 || response.status === 429 ? response.text().then((text) => settle(response, text), () => settle(response)) : settle(response)),
        () => settle(null),
      );
    } catch {
      settle(null);
    }
    return keepalive;
  }

  /**
   * Stores what waits in memory, for a later page load. A batch posted with keepalive is trusted
   * to arrive, as on pagehide: the page cannot learn otherwise if it goes, and a failure seen while
   * it lives stores the batch then.
   */
  function persistUnsent(): void {
    queue.persist(busyKeepalive ? busy : null);
  }

  function pump(): void {
    if (busy || timer || stopped) return;
    const until = holdUntil();
    const { sessionId } = session();
    // A copy: ready() forgets batches that another page delivered meanwhile.
    const batch = [...queue.batches].find((queued) => queue.ready(queued, sessionId, until));
    if (batch) {
      busy = batch;
      busyKeepalive = post(batch, hidden || !!batch.keepalive, (response, text) => done(batch, response, text));
    } else if (until > now()) {
      timer = setTimeout(wake, until - now());
    }
  }

  function done(batch: QueuedBatch, response: Response | null, text = ''): void {
    busy = null;
    const status = response ? response.status : 0;
    // session_limit and site_session_limit; not rate_limited.
    if (text.includes('session_limit"')) {
      const { sessionId } = batch;
      refused.push(sessionId);
      for (const queued of [...queue.batches]) if (queued.sessionId === sessionId) queue.remove(queued);
      for (const job of jobs) if (job.sessionId === sessionId) jobs.delete(job);
      failures = 0;
      if (sessionId === session().sessionId) options.onRefused?.();
      pump();
    } else if (status === 401 || status === 403) {
      stopped = true;
      queue.persist();
    } else if (isRetryable(status)) {
      failures++;
      queue.persist();
      // Never sooner than the server asked, nor than our own backoff: a Retry-After of 0 must not become a loop.
      const retryAfter = retryAfterMs(response && response.headers.get('Retry-After'), now());
      timer = setTimeout(wake, Math.max(backoffMs(failures, random), retryAfter ?? 0));
    } else {
      failures = 0;
      queue.remove(batch);
      pump();
    }
  }

  const wake = guard.wrap(() => {
    clearTimeout(timer);
    timer = undefined;
    pump();
  });

  const finish = guard.wrap((job: OutgoingBatch, compressed: Uint8Array<ArrayBuffer> | null) => {
    if (!jobs.delete(job)) return; // taken over by sendNow
    enqueue(compressed ? { ...job, body: '', gzip: compressed } : job);
    pump();
    // Queued while hidden: the tab may be closed without another event.
    if (hidden || job.keepalive) persistUnsent();
  });

  // Back online: retry at once rather than when the backoff runs out.
  win.addEventListener('online', wake);
  guard.run(pump);

  return {
    send(batch, options) {
      if (stopped || refused.includes(batch.sessionId)) return;
      const job = { ...batch, keepalive: (hidden = !!options?.keepalive) };
      // Hidden: the tab may be closed without another word, so what is unsent goes to storage now.
      if (job.keepalive) persistUnsent();
      jobs.add(job);
      // No CompressionStream: queued as the plain JSON it is.
      if (!gzip) return finish(job, null);
      // One compression at a time, in order, so batches are queued in the order they were made.
      compressing = compressing
        .then(() => (jobs.has(job) ? gzip(job.parts || [job.body]) : null))
        .then((compressed) => finish(job, compressed), () => finish(job, null));
    },
    sendNow(pack, report) {
      if (stopped) return;
      // Offline, a keepalive request cannot arrive: everything waits for a later page load.
      const online = win.navigator.onLine !== false;
      // After a failure a keepalive request may fail unseen, so what is posted is kept as well. The
      // failure may only be this navigation: the browser cancels a plain post in flight before
      // pagehide. The server stores a batch it already has only once.
      const unsure = failures > 0;
      const until = holdUntil();
      const { sessionId } = session();
      const parked: DroppedPayload = { batches: 0, events: 0 };
      // Posted with keepalive, a batch is trusted to arrive: the page cannot learn otherwise, and
      // keeping it would make the next page load send every page's last batch twice. The one in
      // flight with a plain request goes again too: leaving the page cancels that request.
      const postNow = (batch?: QueuedBatch) => batch && online && fits(encode(batch)[1]) && (post(batch, true), unsure || queue.remove(batch), true);
      const offer = (batch?: QueuedBatch) => {
        if (!batch || (batch === busy && busyKeepalive) || !queue.ready(batch, sessionId, until)) return;
        // In order: after one batch that must wait, a later one would leave a gap in the recording.
        if (parked.batches || !postNow(batch)) {
          parked.batches++;
          parked.events += batch.events;
        }
      };
      [...queue.batches].forEach(offer);
      // A compression still running cannot finish before the page is gone: done again here.
      for (const job of jobs) offer(enqueue(job.body.length > LATE_JOB_MAX_CHARS ? job : gzipBatchNow(job), false));
      jobs.clear();
      for (const batch of pack()) offer(enqueue(batch, false));
      queue.saveDropped();
      // Offline, the report could not go either: the parked batches themselves arrive with the next page load.
      if (parked.batches && online && report) postNow(enqueue(gzipBatchNow(report(parked)), false));
      // What did not fit waits for a later page load.
      persistUnsent();
    },
    takeDropped: () => queue.takeDropped(),
    discard() {
      // Compressions still running finish into nothing: finish() ignores jobs no longer listed.
      jobs.clear();
      for (const batch of [...queue.batches]) if (batch !== busy) queue.remove(batch);
    },
  };
}

function openLocalStorage(win: SenderWindow): QueueStorage | null {
  try {
    // Reading it throws in sandboxed frames and when the user blocks site data.
    return win.localStorage || null;
  } catch {
    return null;
  }
}
