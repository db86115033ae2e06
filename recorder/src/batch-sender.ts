// Posts batch bodies to the ingest endpoint: gzipped in the background, or at once as keepalive JSON when the page goes.
import type { Gzip } from './gzip';
import { utf8ByteLength } from './utf8-byte-length';
import { INGEST_ENCODING_PARAM, INGEST_KEY_PARAM, INGEST_PATH, type IngestEncoding } from './wire/format';

/** Chromium lets a page have at most 64 KiB of keepalive request bodies in flight at once. */
export const KEEPALIVE_QUOTA_BYTES = 64 * 1024;
/** Largest body we send with keepalive, leaving part of the quota for a second, small one. */
export const KEEPALIVE_MAX_BODY_BYTES = 60_000;

export interface BatchSenderOptions {
  endpoint: string;
  siteKey: string;
  fetch: typeof fetch;
  gzip: Gzip | null;
}

export interface BatchSender {
  /**
   * Compresses, then posts. keepalive asks for a request that survives the page (the tab may be
   * closed soon after it goes hidden); it is granted while the body fits the quota.
   */
  send(body: string, options?: { keepalive?: boolean }): void;
  /**
   * Posts now, uncompressed, with keepalive where the quota allows: on pagehide the page may be
   * gone before a compression resolves. Bodies still being compressed are taken over and go first.
   */
  sendNow(bodies: readonly string[]): void;
}

interface Compressing {
  body: string;
  keepalive: boolean;
  takenOver: boolean;
}

/**
 * Failures are dropped for now: delivery is best effort until retries and persistence arrive.
 * Every promise is settled here, so nothing surfaces as an unhandled rejection on the host page.
 */
export function createBatchSender({ endpoint, siteKey, fetch, gzip }: BatchSenderOptions): BatchSender {
  const compressing = new Set<Compressing>();
  let keepaliveBytesInFlight = 0;

  function ingestUrl(encoding: IngestEncoding): string {
    const key = encodeURIComponent(siteKey);
    return `${endpoint}${INGEST_PATH}?${INGEST_KEY_PARAM}=${key}&${INGEST_ENCODING_PARAM}=${encoding}`;
  }

  function post(body: string | Uint8Array<ArrayBuffer>, encoding: IngestEncoding, wantKeepalive: boolean): void {
    const bytes = typeof body === 'string' ? utf8ByteLength(body) : body.byteLength;
    const keepalive =
      wantKeepalive && bytes <= KEEPALIVE_MAX_BODY_BYTES && keepaliveBytesInFlight + bytes <= KEEPALIVE_QUOTA_BYTES;
    if (keepalive) keepaliveBytesInFlight += bytes;
    const settle = () => {
      if (keepalive) keepaliveBytesInFlight -= bytes;
    };
    try {
      fetch(ingestUrl(encoding), {
        method: 'POST',
        body,
        // text/plain is CORS-safelisted: no preflight, which a request on pagehide could not wait for.
        headers: { 'Content-Type': 'text/plain' },
        keepalive,
        credentials: 'omit',
      }).then(settle, settle);
    } catch {
      settle();
    }
  }

  return {
    send(body, options = {}) {
      const keepalive = options.keepalive === true;
      if (!gzip) return post(body, 'identity', keepalive);
      const job: Compressing = { body, keepalive, takenOver: false };
      compressing.add(job);
      const finish = (compressed: Uint8Array<ArrayBuffer> | null) => {
        if (job.takenOver) return;
        compressing.delete(job);
        if (compressed) post(compressed, 'gzip', keepalive);
        else post(body, 'identity', keepalive);
      };
      gzip(body).then(finish, () => finish(null));
    },
    sendNow(bodies) {
      const pending = [...compressing].map((job) => {
        job.takenOver = true;
        return job.body;
      });
      compressing.clear();
      for (const body of [...pending, ...bodies]) post(body, 'identity', true);
    },
  };
}
