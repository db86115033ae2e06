// Posts one batch body to the ingest endpoint and reads the answer: from the page, or from the compression worker.
import type { PostAnswer } from './gzip';

/** An unanswered request is abandoned and retried after this long: one hung request would stall the queue. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The worker runs this function from its source text (gzip.ts): it must use nothing but its
 * arguments and the globals a worker has. text/plain is CORS-safelisted: no preflight, which a
 * request on pagehide could not wait for. A keepalive request must outlive the page; the timeout
 * only frees the queue of a living one (AbortSignal.timeout: Chrome 103, Firefox 100, Safari 16;
 * older browsers wait as long as the network does). The error's code tells a cap (refused for
 * good) from a rate limit: a short JSON body, read only for 413 and 429. Status 0: no answer.
 */
export const postBody = (fetch: typeof globalThis.fetch, url: string, body: BodyInit, keepalive: boolean, timeoutMs: number): Promise<PostAnswer> =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/plain' },
    keepalive,
    credentials: 'omit',
    signal: keepalive || !AbortSignal.timeout ? undefined : AbortSignal.timeout(timeoutMs),
  }).then(
    async (response): Promise<PostAnswer> => [
      response.status,
      response.status == 413 || response.status == 429 ? await response.text().catch(() => '') : '',
      response.headers.get('Retry-After'),
    ],
    (): PostAnswer => [0],
  );
