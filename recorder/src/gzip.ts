// Gzips a request body with the browser's native CompressionStream, in a small worker where the page allows one.

/** Gzips the UTF-8 of the pieces, in order, as if they were one string. */
export type Gzip = (parts: readonly string[]) => Promise<Uint8Array<ArrayBuffer>>;

export type GzipScope = {
  CompressionStream?: typeof CompressionStream;
  Worker?: typeof Worker;
  URL?: Pick<typeof URL, 'createObjectURL'>;
};

/** The worker's whole source: [id, pieces] in, [id, gzip bytes] out, the buffer transferred. */
const WORKER_SOURCE = `onmessage=async e=>{let[i,t]=e.data,b=new Uint8Array(await new Response(new Blob(t).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());postMessage([i,b],[b.buffer])}`;

/**
 * Null where CompressionStream is missing (Safari before 16.4, old Firefox): the sender then
 * posts plain JSON. A bundled deflate library would cost more bytes than it saves.
 * CompressionStream works on the thread that calls it, so the worker takes the UTF-8 encoding
 * and the deflate off the page's main thread, for the price of copying the pieces to it. Where
 * a page's CSP forbids blob: workers, or Worker is missing, it runs on the main thread.
 */
export function createGzip(scope: GzipScope): Gzip | null {
  const Compression = scope.CompressionStream;
  if (typeof Compression !== 'function') return null;
  const onMainThread: Gzip = async function gzip(parts) {
    const stream = new Blob(parts as string[]).stream().pipeThrough(new Compression('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
  let worker: Worker | null = null;
  try {
    if (scope.Worker && scope.URL) worker = new scope.Worker(scope.URL.createObjectURL(new Blob([WORKER_SOURCE])));
  } catch {
    // CSP refused the blob: URL (some browsers throw at once, others fire "error").
  }
  if (!worker) return onMainThread;
  const pending = new Map<number, [parts: readonly string[], resolve: (bytes: Promise<Uint8Array<ArrayBuffer>>) => void]>();
  let next = 0;
  worker.onmessage = (event: MessageEvent<[number, Uint8Array<ArrayBuffer>]>) => {
    const [id, bytes] = event.data;
    pending.get(id)?.[1](Promise.resolve(bytes));
    pending.delete(id);
  };
  worker.onerror = () => {
    // The worker failed to start or to compress: what it holds, and all that follows, is compressed here.
    worker = null;
    for (const [parts, resolve] of pending.values()) resolve(onMainThread(parts));
    pending.clear();
  };
  return function gzip(parts) {
    const id = next++;
    if (!worker) return onMainThread(parts);
    return new Promise((resolve) => {
      pending.set(id, [parts, resolve]);
      worker!.postMessage([id, parts]);
    });
  };
}
