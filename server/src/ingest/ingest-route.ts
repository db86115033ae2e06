// POST /api/ingest: the recorder's endpoint. Cheap checks run first so refused requests cost little.
import { gzipSync } from 'node:zlib';
import { Hono, type MiddlewareHandler } from 'hono';
import {
  INGEST_CONTENT_TYPES,
  INGEST_ENCODING_PARAM,
  INGEST_KEY_PARAM,
  MAX_BATCH_COMPRESSED_BYTES,
} from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import { clientAddress } from '../limits/client-address';
import { UNLIMITED, type IngestLimits } from '../limits/ingest-limits';
import type { SitesRepo, IngestSite } from '../repos/sites-repo';
import { checkBatchClock } from './clock-bounds';
import { decodeBatch } from './decode-batch';
import { isOriginAllowed } from './origin-check';
import { readLimitedBody } from './read-limited-body';
import type { WriteBatch } from './batch-writer';
import { summarizeBatch, type BatchToStore } from './store-batch';

export interface IngestRouteDeps {
  sites: SitesRepo;
  writeBatch: WriteBatch;
  /** Rate limits per client address and per site; none when omitted. */
  limits?: IngestLimits;
  /** Take the client's address from X-Forwarded-For (a proxy in front of the server) rather than the socket. */
  trustProxy?: boolean;
  /** A site whose key is refused as unknown: the demo site when the operator turned the demo off. */
  disabledSiteId?: string;
  now?: () => number;
}

type IngestEnv = { Variables: { site: IngestSite; gzip: boolean } };

/** Browsers may cache the preflight this long; Chromium caps it at 2 h, Firefox honours a day. */
export const PREFLIGHT_MAX_AGE_S = 86400;

const ACCEPTED_TYPES: readonly string[] = INGEST_CONTENT_TYPES;

/**
 * Any page may post (the site key and origin list decide), and even refusals must be readable.
 * Retry-After is not a CORS-safelisted response header: without the expose header the recorder
 * could not read it on a 429 or 503 and would fall back to its own backoff.
 */
const allowAnyOrigin: MiddlewareHandler = async function allowAnyOrigin(c, next) {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Access-Control-Expose-Headers', 'Retry-After');
  await next();
};

/** True for gzip, false for identity; anything else is a coding we cannot read. */
function readEncoding(param: string | undefined, header: string | undefined): boolean {
  const fromParam = (param ?? 'identity').toLowerCase();
  const fromHeader = (header ?? 'identity').trim().toLowerCase();
  for (const encoding of [fromParam, fromHeader]) {
    if (encoding !== 'gzip' && encoding !== 'identity') {
      throw new ApiError(415, 'unsupported_media_type', `Unsupported encoding "${encoding}"; use gzip or identity`);
    }
  }
  return fromParam === 'gzip' || fromHeader === 'gzip';
}

const checkRequest: MiddlewareHandler<IngestEnv> = async function checkRequest(c, next) {
  const contentType = c.req.header('content-type')?.split(';', 1)[0]!.trim().toLowerCase();
  if (!contentType || !ACCEPTED_TYPES.includes(contentType)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type must be one of ${INGEST_CONTENT_TYPES.join(', ')}`);
  }
  c.set('gzip', readEncoding(c.req.query(INGEST_ENCODING_PARAM), c.req.header('content-encoding')));
  await next();
};

function rateLimited(waitMs: number, what: string): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests ${what}; try again later`, { retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) });
}

/**
 * Both limits are checked before the body is read, so a refused request costs a map lookup. The
 * address comes first: a client spraying made-up keys never reaches the key lookup.
 */
function limitAddress(limits: IngestLimits, trustProxy: boolean, now: () => number): MiddlewareHandler<IngestEnv> {
  return async function limitAddress(c, next) {
    const waitMs = limits.takeAddress(clientAddress(c, trustProxy), now());
    if (waitMs > 0) throw rateLimited(waitMs, 'from this address');
    await next();
  };
}

function checkSite(sites: SitesRepo, limits: IngestLimits, disabledSiteId: string | undefined, now: () => number): MiddlewareHandler<IngestEnv> {
  return async function checkSite(c, next) {
    const key = c.req.query(INGEST_KEY_PARAM);
    if (!key) throw new ApiError(401, 'unknown_site_key', `Missing "${INGEST_KEY_PARAM}" query parameter`);
    const site = sites.findByKey(key);
    if (!site || site.id === disabledSiteId) throw new ApiError(401, 'unknown_site_key', 'Unknown site key');
    const waitMs = limits.takeSite(site.id, now());
    if (waitMs > 0) throw rateLimited(waitMs, 'for this site');
    const origin = c.req.header('origin');
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!isOriginAllowed(origin, site.origins, host)) {
      throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this site`);
    }
    c.set('site', site);
    await next();
  };
}

/**
 * Decodes and summarizes in a plain function, so the parsed events never sit in the async
 * handler's frame while the batch waits for its commit (they would survive GC until then).
 */
function prepareBatch(received: Buffer, gzip: boolean, siteId: string, userAgent: string | undefined, receivedAt: number): BatchToStore {
  const { batch, json } = decodeBatch(received, gzip);
  const summary = summarizeBatch(batch);
  checkBatchClock(summary.lastTs, receivedAt);
  return {
    siteId,
    batch: summary,
    // Gzip bodies are kept exactly as received; only identity bodies are compressed here.
    gzipBody: gzip ? received : gzipSync(json),
    inflatedBytes: json.length,
    userAgent,
    receivedAt,
  };
}

export function createIngestRoute({ sites, writeBatch, limits = UNLIMITED, trustProxy = false, disabledSiteId, now = Date.now }: IngestRouteDeps): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  app.use('*', allowAnyOrigin);

  // The recorder sends text/plain with the encoding in the URL, so it never needs a preflight;
  // other clients sending JSON or a Content-Encoding header get one answered here.
  app.options('/', (c) => {
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding');
    c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
    return c.body(null, 204);
  });

  app.post('/', limitAddress(limits, trustProxy, now), checkRequest, checkSite(sites, limits, disabledSiteId, now), async function ingest(c) {
    const received = await readLimitedBody(c.req, MAX_BATCH_COMPRESSED_BYTES);
    const result = await writeBatch(prepareBatch(received, c.get('gzip'), c.get('site').id, c.req.header('user-agent'), now()));
    return c.json(result, 200);
  });

  return app;
}
