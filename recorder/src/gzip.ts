// Gzips a request body with the browser's native CompressionStream, in a small worker where the page allows one; the worker also posts.
import { REQUEST_TIMEOUT_MS, postBody } from './post-body';

/** A post's outcome: the status (0: no answer), the body of a 413 or 429, and Retry-After. */
export type PostAnswer = [status: number, text?: string, retryAfter?: string | null];

/** Gzips the UTF-8 of the pieces, in order, as if they were one string. */
export type Gzip = ((parts: readonly string[]) => Promise<Uint8Array<ArrayBuffer>>) & {
  /** Posts a body (gzip bytes, or plain JSON) from the worker, as postBody; null when there is no worker. */
  post?: (url: string, body: string | Uint8Array<ArrayBuffer>) => Promise<PostAnswer> | null;
};

export type GzipScope = {
  CompressionStream?: typeof CompressionStream;
  Worker?: typeof Worker;
  URL?: Pick<typeof URL, 'createObjectURL'>;
};

/** Also run in the worker from its source text: nothing but its argument and globals. */
const gzipHere = async (parts: readonly string[]) =>
  new Uint8Array(await new Response(new Blob(parts as string[]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());

/**
 * The worker's whole source. [id, pieces] in, [id, gzip bytes] out, the buffer transferred; or
 * [id, body, url] in, [id, PostAnswer] out. A fetch costs the thread that makes it 1.5 to 4 ms
 * of CPU (the request, its body and the answer; measured in Chromium 156 without DevTools, more
 * with them open): a busy page sends a batch every fraction of a second.
 */
const workerSource = () =>
  `let p=${postBody},z=${gzipHere};onmessage=async e=>{let[i,t,u]=e.data,b=await(u?p(fetch,u,t,!1,${REQUEST_TIMEOUT_MS}):z(t));postMessage([i,b],u?[]:[b.buffer])}`;

/**
 * Null where CompressionStream is missing (Safari before 16.4, old Firefox): the sender then
 * posts plain JSON. A bundled deflate library would cost more bytes than it saves.
 * CompressionStream works on the thread that calls it, so the worker takes the UTF-8 encoding
 * and the deflate off the page's main thread, for the price of copying the pieces to it, and
 * posts what it compressed. Where a page's CSP forbids blob: workers, or Worker is missing,
 * both run on the main thread.
 */
export function createGzip(scope: GzipScope): Gzip | null {
  if (typeof scope.CompressionStream !== 'function') return null;
  const onMainThread: Gzip = gzipHere;
  let worker: Worker | null = null;
  try {
    if (scope.Worker && scope.URL) worker = new scope.Worker(scope.URL.createObjectURL(new Blob([workerSource()])));
  } catch {
    // CSP refused the blob: URL (some browsers throw at once, others fire "error").
  }
  if (!worker) return onMainThread;
  /** Calls in the worker, each with what to do instead if the worker fails first. */
  const pending = new Map<number, [fallback: () => Promise<any>, resolve: (answer: Promise<any>) => void]>();
  let next = 0;
  worker.onmessage = (event: MessageEvent<[number, unknown]>) => {
    const [id, answer] = event.data;
    pending.get(id)?.[1](Promise.resolve(answer));
    pending.delete(id);
  };
  worker.onerror = () => {
    // The worker failed to start or to compress: what it holds, and all that follows, is done here.
    worker = null;
    for (const [fallback, resolve] of pending.values()) resolve(fallback());
    pending.clear();
  };
  const call = <T>(message: unknown[], fallback: () => Promise<T>): Promise<T> => {
    const id = next++;
    if (!worker) return fallback();
    return new Promise((resolve) => {
      pending.set(id, [fallback, resolve]);
      worker!.postMessage([id, ...message]);
    });
  };
  const gzip: Gzip = (parts) => call([parts], () => onMainThread(parts));
  // A post the worker dropped counts as unanswered: the sender retries it, then on this thread.
  gzip.post = (url, body) => (worker ? call<PostAnswer>([body, url], async () => [0]) : null);
  return gzip;
}
