// POST /api/ingest: the recorder's endpoint. Cheap checks run first so refused requests cost little.
import { gzipSync } from 'node:zlib';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import {
  INGEST_CONTENT_TYPES,
  INGEST_ENCODING_PARAM,
  INGEST_KEY_PARAM,
  MAX_BATCH_COMPRESSED_BYTES,
} from '../../../recorder/src/wire/format';
import { ApiError } from '../errors/api-error';
import { clientAddress } from '../limits/client-address';
import { API_CSP } from '../security/security-headers';
import { UNLIMITED, type IngestLimits } from '../limits/ingest-limits';
import type { SitesRepo, IngestSite } from '../repos/sites-repo';
import { checkBatchClock } from './clock-bounds';
import { decodeBatchSummary } from './decode-batch';
import { isOriginAllowed } from './origin-check';
import { readLimitedBody } from './read-limited-body';
import type { WriteBatch } from './batch-writer';
import type { BatchToStore } from './store-batch';

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

/** Browsers may cache the preflight this long; Chromium caps it at 2 h, Firefox honours a day. */
export const PREFLIGHT_MAX_AGE_S = 86400;

const ACCEPTED_TYPES: readonly string[] = INGEST_CONTENT_TYPES;

/**
 * Every ingest answer's headers. Any page may post (the site key and origin list decide), and even
 * refusals must be readable. Retry-After is not a CORS-safelisted response header: without the
 * expose header the recorder could not read it on a 429 or 503 and would fall back to its own
 * backoff. The rest are the headers securityHeaders gives every API answer: the route is served
 * ahead of that middleware (app.ts), so it sets them itself.
 */
const INGEST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': API_CSP,
  'Referrer-Policy': 'no-referrer',
});

/**
 * A stored batch's answer, with its headers as a plain object: @hono/node-server then writes them
 * as they are. Set through c.header() or read back by a middleware, they become a fetch Headers
 * object, every header checked and copied on each call, which was about a tenth of the route's
 * own CPU per batch.
 */
const ANSWER_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Content-Type': 'application/json', ...INGEST_HEADERS });

/** For refusals and preflights, answered through Hono's context (the error handler's c.json). */
function setIngestHeaders(c: Context): void {
  for (const name in INGEST_HEADERS) c.header(name, INGEST_HEADERS[name]);
}

/** Paths under /api/ingest without a route (404) still get the headers every ingest answer has. */
const allowAnyOrigin: MiddlewareHandler = async function allowAnyOrigin(c, next) {
  setIngestHeaders(c);
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

/** The body's encoding (true for gzip), after its Content-Type is checked. */
function checkRequest(c: Context): boolean {
  const contentType = c.req.header('content-type')?.split(';', 1)[0]!.trim().toLowerCase();
  if (!contentType || !ACCEPTED_TYPES.includes(contentType)) {
    throw new ApiError(415, 'unsupported_media_type', `Content-Type must be one of ${INGEST_CONTENT_TYPES.join(', ')}`);
  }
  return readEncoding(c.req.query(INGEST_ENCODING_PARAM), c.req.header('content-encoding'));
}

function rateLimited(waitMs: number, what: string): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests ${what}; try again later`, { retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) });
}

/** The site the key names, once its rate limit and origin list admit the request. */
function checkSite(c: Context, sites: SitesRepo, limits: IngestLimits, disabledSiteId: string | undefined, now: number): IngestSite {
  const key = c.req.query(INGEST_KEY_PARAM);
  if (!key) throw new ApiError(401, 'unknown_site_key', `Missing "${INGEST_KEY_PARAM}" query parameter`);
  const site = sites.findByKey(key);
  if (!site || site.id === disabledSiteId) throw new ApiError(401, 'unknown_site_key', 'Unknown site key');
  const waitMs = limits.takeSite(site.id, now);
  if (waitMs > 0) throw rateLimited(waitMs, 'for this site');
  const origin = c.req.header('origin');
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  if (!isOriginAllowed(origin, site.origins, host)) {
    throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this site`);
  }
  return site;
}

/**
 * Decodes and summarizes in a plain function, so the parsed events never sit in the async
 * handler's frame while the batch waits for its commit (they would survive GC until then).
 */
function prepareBatch(received: Buffer, gzip: boolean, siteId: string, userAgent: string | undefined, receivedAt: number): BatchToStore {
  const { summary, json } = decodeBatchSummary(received, gzip);
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

export function createIngestRoute({ sites, writeBatch, limits = UNLIMITED, trustProxy = false, disabledSiteId, now = Date.now }: IngestRouteDeps): Hono {
  const app = new Hono();

  // The recorder sends text/plain with the encoding in the URL, so it never needs a preflight;
  // other clients sending JSON or a Content-Encoding header get one answered here.
  app.options('/', (c) => {
    setIngestHeaders(c);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding');
    c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
    return c.body(null, 204);
  });

  /**
   * The checks are plain calls in one handler rather than a middleware each: every request passes
   * them all, and each middleware cost a closure and a promise. Both rate limits come before the
   * body is read, so a refused request costs a map lookup; the address comes first, so a client
   * spraying made-up keys never reaches the key lookup.
   */
  app.post('/', async function ingest(c) {
    try {
      const addressWaitMs = limits.takeAddress(clientAddress(c, trustProxy), now());
      if (addressWaitMs > 0) throw rateLimited(addressWaitMs, 'from this address');
      const gzip = checkRequest(c);
      const site = checkSite(c, sites, limits, disabledSiteId, now());
      const received = await readLimitedBody(c.req, MAX_BATCH_COMPRESSED_BYTES);
      const result = await writeBatch(prepareBatch(received, gzip, site.id, c.req.header('user-agent'), now()));
      return new Response(JSON.stringify(result), { status: 200, headers: ANSWER_HEADERS });
    } catch (error) {
      // The error handler answers through the context, which carries these into its answer.
      setIngestHeaders(c);
      throw error;
    }
  });
  // After the routes, so a POST or preflight (answered above) never runs it.
  app.use('*', allowAnyOrigin);

  return app;
}
