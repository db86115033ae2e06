// A seeded generator of hostile HTTP requests for the ingest endpoint and every admin endpoint: mutated and random bodies, headers, query strings and encodings.
import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { SESSION_COOKIE_NAME } from '../auth/session-cookie';
import { makeBatch, sampleEvents, SHOP_ORIGIN, TEST_ADMIN_TOKEN } from './test-app';

export interface FuzzRequest {
  method: string;
  /** Path and query string. */
  url: string;
  /** The app route an admin request was made for ("DELETE /api/sessions/:id"), for counting. */
  route?: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
}

/** Ids that exist in the fuzzed database, so that some requests reach past the lookups. */
export interface FuzzTargets {
  siteKey: string;
  siteId: string;
  sessionId: string;
  goalId: string;
  funnelId: string;
  /** A Cookie header of a signed-in viewer session, when the run has one. */
  cookie?: string;
}

/** Strings that have broken servers: injections, traversal, encodings, sizes. */
const NASTY = [
  "' OR '1'='1",
  '"; DROP TABLE sessions; --',
  "1); DELETE FROM sites; --",
  '%',
  '%00',
  '%E0%A4%A',
  '\u0000',
  '\ud800',
  '🙂'.repeat(50),
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'NaN',
  '99999999999999999999999',
  '0x1f',
  '2026-13-45T99:99:99Z',
  ' ',
  '',
  'x'.repeat(20_000),
];
const QUERY_KEYS = ['site', 'url', 'device', 'kind', 'from', 'to', 'limit', 'sort', 'before', 'friction', 'goal', 'type', 'page', 'target', 'field', 'step', 'group', 'selector', 'format', 'seq', 'key', 'enc', 'minDurationMs', 'errors', 'watched', 'user'];
const CONTENT_TYPES = ['text/plain', 'application/json', 'application/json; charset=utf-16', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '*/*', 'garbage', ''];
const ENCODINGS = ['gzip', 'identity', 'br', 'deflate', 'gzip, gzip', 'GZIP', 'x-gzip', ''];

type Random = () => number;

/** Percent-encoding; a lone surrogate, which has no UTF-8, becomes U+FFFD as a browser would send it. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

/** Header values must be Latin-1 without control characters, or the client refuses to send them at all. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '?');
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;

function randomBytes(random: Random, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

function randomScalar(random: Random): unknown {
  // 9e15: a safe integer, yet past the last moment Date can show (8.64e15 ms).
  return pick(random, [null, true, false, 0, -1, 1.5, 2 ** 53 + 2, 9e15, -1e308, 1e308, pick(random, NASTY), [], {}, [[[[]]]], Math.floor(random() * 1e13)]);
}

/** One mutation somewhere in a JSON value: a value replaced, a key dropped or added, an array emptied or grown. */
function mutateJson(value: unknown, random: Random, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object' || chance(random, 0.15)) return randomScalar(random);
  if (Array.isArray(value)) {
    const copy = [...value];
    if (copy.length === 0 || chance(random, 0.2)) copy.push(randomScalar(random));
    else if (chance(random, 0.1)) return [];
    else {
      const i = Math.floor(random() * copy.length);
      copy[i] = mutateJson(copy[i], random, depth + 1);
    }
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = random();
  if (roll < 0.15 && keys.length > 0) delete copy[pick(random, keys)];
  else if (roll < 0.3) copy[pick(random, ['__proto__', 'constructor', 'extra', pick(random, NASTY)])] = randomScalar(random);
  else if (keys.length > 0) {
    const key = pick(random, keys);
    copy[key] = mutateJson(copy[key], random, depth + 1);
  }
  return copy;
}

/** The fields of a batch that ingest reads, each a target for one bad value. */
const BATCH_FIELDS = ['v', 'sessionId', 'seq', 'pageId', 'url', 'sentAt', 'final', 'events', 'event.type', 'event.timestamp', 'event.data'] as const;

/** A valid batch with one field the server reads set to a value it must refuse or cope with. */
function mutateBatchField(batch: ReturnType<typeof makeBatch>, random: Random): unknown {
  const field = pick(random, BATCH_FIELDS);
  const value = randomScalar(random);
  if (!field.startsWith('event.')) return { ...batch, [field]: value };
  const events = batch.events.map((event) => ({ ...event })) as unknown as Array<Record<string, unknown>>;
  events[Math.floor(random() * events.length)]![field.slice('event.'.length)] = value;
  return { ...batch, events };
}

/** Deep nesting, which a recursive parser or validator would overflow on. */
function deeplyNested(random: Random): string {
  const depth = 1000 + Math.floor(random() * 50_000);
  return `{"v":1,"events":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** The bytes of a body: JSON as it is, gzipped, cut short, in another encoding, or noise. */
function encodeBody(json: string, random: Random): Uint8Array<ArrayBuffer> {
  const text = new TextEncoder().encode(json);
  const roll = random();
  if (roll < 0.35) return new Uint8Array(gzipSync(text));
  if (roll < 0.6) return text;
  if (roll < 0.7) {
    const gzip = gzipSync(text);
    return new Uint8Array(gzip.subarray(0, Math.floor(random() * gzip.length)));
  }
  if (roll < 0.75) return new Uint8Array(Buffer.from(`\ufeff${json}`, 'utf16le'));
  if (roll < 0.85) {
    const bytes = chance(random, 0.5) ? new Uint8Array(gzipSync(text)) : text;
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (roll < 0.95) return randomBytes(random, Math.floor(random() * 2000));
  return new Uint8Array(gzipSync(randomBytes(random, Math.floor(random() * 5000))));
}

function queryString(random: Random, targets: FuzzTargets): string {
  const params: string[] = [];
  for (let n = Math.floor(random() * 6); n > 0; n--) {
    const key = chance(random, 0.85) ? pick(random, QUERY_KEYS) : pick(random, NASTY);
    const value = chance(random, 0.4)
      ? pick(random, [targets.siteId, targets.goalId, 'desktop', 'all', 'rage_click', '0', '1', 'csv', 'newest', '2026-01-01', SHOP_ORIGIN + '/', 'reached'])
      : pick(random, NASTY);
    // Sometimes raw, so broken percent-encoding reaches the server as it is.
    params.push(chance(random, 0.8) ? `${encode(key)}=${encode(value)}` : `${key}=${value}`.replace(/[\s#]/g, ''));
  }
  return params.length > 0 ? `?${params.join('&')}` : '';
}

/** Cookie headers: the viewer's session, a site key or junk in its place, several cookies, none of ours. */
function cookieHeader(random: Random, targets: FuzzTargets): string {
  const junk = headerSafe(pick(random, NASTY)).replace(/;/g, '');
  return pick(random, [
    targets.cookie ?? `${SESSION_COOKIE_NAME}=${'A'.repeat(43)}`,
    `${SESSION_COOKIE_NAME}=${targets.siteKey}`,
    `${SESSION_COOKIE_NAME}=${junk}`,
    `${SESSION_COOKIE_NAME}=`,
    `a=1; ${targets.cookie ?? `${SESSION_COOKIE_NAME}=x`}; ${SESSION_COOKIE_NAME}=${junk}`,
    `other=${junk}`,
  ]);
}

/** Origin and Sec-Fetch-Site as a browser page of this server, of another site, or nothing like one, would send them. */
const ORIGINS = ['http://fl.example', 'https://fl.example', 'http://fl.example:80', 'https://evil.example', 'http://evil.fl.example', 'null', 'file://', ''];
const FETCH_SITES = ['same-origin', 'same-site', 'cross-site', 'none'];

function adminHeaders(random: Random, targets: FuzzTargets): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth = random();
  if (auth < 0.7) headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`;
  else if (auth < 0.75) headers.authorization = pick(random, ['Bearer ', 'Basic YWRtaW46YWRtaW4=', `Bearer ${TEST_ADMIN_TOKEN} extra`, `bearer ${TEST_ADMIN_TOKEN}`, 'Bearer ' + 'x'.repeat(10_000), `Bearer ${targets.siteKey}`]);
  else if (auth < 0.95) headers.cookie = cookieHeader(random, targets);
  if (chance(random, 0.6)) headers.origin = chance(random, 0.9) ? pick(random, ORIGINS) : headerSafe(pick(random, NASTY));
  if (chance(random, 0.2)) headers['sec-fetch-site'] = chance(random, 0.9) ? pick(random, FETCH_SITES) : headerSafe(pick(random, NASTY));
  if (chance(random, 0.1)) headers['x-forwarded-proto'] = pick(random, ['https', 'http', 'https, http', headerSafe(pick(random, NASTY))]);
  if (chance(random, 0.7)) headers['content-type'] = pick(random, CONTENT_TYPES);
  if (chance(random, 0.1)) headers['content-encoding'] = pick(random, ENCODINGS);
  return headers;
}

/** Valid bodies of the admin API, for mutation. */
function adminBody(path: string, random: Random, targets: FuzzTargets): unknown {
  if (path === '/api/auth/session') return { token: pick(random, [TEST_ADMIN_TOKEN, TEST_ADMIN_TOKEN, targets.siteKey, pick(random, NASTY), ` ${TEST_ADMIN_TOKEN} `]) };
  if (path.endsWith('/goals') || path.startsWith('/api/goals/')) return pick(random, [{ name: 'Order', kind: 'page', pattern: '/thanks*' }, { name: 'Buy', kind: 'event', event: 'purchase' }, { name: 'Form', kind: 'form', pattern: '/checkout*', selector: '#checkout-form' }]);
  if (path.endsWith('/funnels') || path.startsWith('/api/funnels/')) return { name: 'Checkout', steps: [{ kind: 'page', pattern: '/cart*' }, { kind: 'event', event: 'purchase' }] };
  if (/^\/api\/sites\/[^/]+$/.test(path)) {
    return pick(random, [{ urlPatterns: ['/product/*'] }, { retentionDays: pick(random, [1, 30, 3650, null]) }, { urlPatterns: ['/blog/*'], retentionDays: 90 }]);
  }
  return { name: 'Shop', origins: [SHOP_ORIGIN] };
}

export function ingestRequest(random: Random, targets: FuzzTargets, seq: number): FuzzRequest {
  const batch = makeBatch({ sessionId: chance(random, 0.5) ? targets.sessionId : `fuzz-session-${seq % 97}`, seq, events: sampleEvents(1_700_000_000_000 + seq * 1000, 2 + (seq % 6)) });
  const roll = random();
  const json =
    roll < 0.03 ? deeplyNested(random) : roll < 0.1 ? pick(random, NASTY) : JSON.stringify(roll < 0.5 ? mutateBatchField(batch, random) : roll < 0.9 ? mutateJson(batch, random) : batch);
  const key = chance(random, 0.9) ? targets.siteKey : pick(random, NASTY);
  const enc = chance(random, 0.8) ? pick(random, ['gzip', 'identity']) : pick(random, ENCODINGS);
  const headers: Record<string, string> = { 'content-type': chance(random, 0.85) ? 'text/plain' : pick(random, CONTENT_TYPES) };
  if (chance(random, 0.1)) headers['content-encoding'] = pick(random, ENCODINGS);
  if (chance(random, 0.2)) headers.origin = headerSafe(pick(random, [SHOP_ORIGIN, 'null', 'https://evil.example', pick(random, NASTY)]));
  const body = encodeBody(json, random);
  if (chance(random, 0.05)) headers['content-length'] = String(pick(random, [0, 1, body.length + 10, 2 ** 31]));
  const query = chance(random, 0.9) ? `?key=${encode(key)}&enc=${encode(enc)}` : queryString(random, targets);
  return { method: chance(random, 0.95) ? 'POST' : pick(random, ['GET', 'PUT', 'OPTIONS', 'DELETE']), url: `/api/ingest${query}`, headers, body };
}

/**
 * A request to one of the app's own /api routes (read from app.routes, so a route added later is
 * fuzzed too), its :id filled with a real id, a made-up one or a nasty string.
 */
export function adminRequest(random: Random, targets: FuzzTargets, routes: ReadonlyArray<{ method: string; path: string }>): FuzzRequest {
  const route = pick(random, routes);
  const realId = route.path.startsWith('/api/sites') ? targets.siteId : route.path.startsWith('/api/sessions') ? targets.sessionId : route.path.startsWith('/api/goals') ? targets.goalId : targets.funnelId;
  const id = chance(random, 0.7) ? realId : chance(random, 0.5) ? 'unknownid0001' : encode(pick(random, NASTY));
  const userId = chance(random, 0.6) ? pick(random, ['user-1', 'user-2']) : encode(pick(random, NASTY));
  const path = route.path.replace(':id', id).replace(':userId', userId);
  const method = chance(random, 0.9) ? route.method : pick(random, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
  const headers = adminHeaders(random, targets);
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const json = chance(random, 0.03) ? deeplyNested(random) : JSON.stringify(chance(random, 0.85) ? mutateJson(adminBody(path, random, targets), random) : adminBody(path, random, targets));
    body = chance(random, 0.8) ? new TextEncoder().encode(json) : encodeBody(json, random);
  }
  return { method, url: `${path}${queryString(random, targets)}`, route: `${route.method} ${route.path}`, headers, body };
}

/** The app's API routes worth fuzzing: every method and path under /api but the middleware. */
export function apiRoutes(app: Hono): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  return app.routes.filter((route) => {
    const key = `${route.method} ${route.path}`;
    if (route.method === 'ALL' || !route.path.startsWith('/api/') || route.path.includes('*') || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function send(app: Hono, request: FuzzRequest): Promise<Response> {
  // A GET or HEAD with a body cannot be built by fetch's Request: sent without one.
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body;
  return app.request(request.url, { method: request.method, headers: { host: 'fl.example', ...request.headers }, body });
}
