import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BATCH_COMPRESSED_BYTES, MAX_BATCH_INFLATED_BYTES, MAX_EVENTS_PER_BATCH } from '../../../recorder/src/wire/format';
import { API_CSP } from '../security/security-headers';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import {
  CHROME_UA,
  SHOP_ORIGIN,
  createTestApp,
  gzipJson,
  makeBatch,
  postIngest,
  rowCounts,
  sampleEvents,
  type IngestOptions,
  type TestApp,
} from '../testing/test-app';

let t: BackendTestApp;

/** Rows stored, on either backend (PostgreSQL's count is a bigint, read as a string). */
async function storedCounts(): Promise<{ sessions: number; pages: number; chunks: number }> {
  const count = async (table: string) => Number((await t.rows<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  return { sessions: await count('sessions'), pages: await count('pages'), chunks: await count('chunks') };
}

const events = sampleEvents(1_700_000_000_000);
const withEvent = (patch: Record<string, unknown>) => makeBatch({ events: [events[0]!, { ...events[1]!, ...patch } as never] });

interface BadCase {
  name: string;
  body: () => BodyInit;
  options?: IngestOptions;
  status: number;
  code: string;
  message?: RegExp;
}

const badCases: BadCase[] = [
  { name: 'a form content type', body: () => gzipJson(makeBatch()), options: { contentType: 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'no content type', body: () => gzipJson(makeBatch()), options: { contentType: null }, status: 415, code: 'unsupported_media_type' },
  { name: 'an unknown enc', body: () => gzipJson(makeBatch()), options: { enc: 'br' }, status: 415, code: 'unsupported_media_type' },
  { name: 'a Content-Encoding other than gzip', body: () => gzipJson(makeBatch()), options: { headers: { 'content-encoding': 'br' } }, status: 415, code: 'unsupported_media_type' },
  { name: 'no key', body: () => gzipJson(makeBatch()), options: { key: null }, status: 401, code: 'unknown_site_key' },
  { name: 'an unknown key', body: () => gzipJson(makeBatch()), options: { key: 'pk_nope' }, status: 401, code: 'unknown_site_key' },
  { name: 'a foreign origin', body: () => gzipJson(makeBatch()), options: { origin: 'https://evil.example' }, status: 403, code: 'origin_not_allowed' },
  { name: 'the opaque origin "null"', body: () => gzipJson(makeBatch()), options: { origin: 'null' }, status: 403, code: 'origin_not_allowed' },
  {
    name: 'a body over the compressed limit, with Content-Length',
    body: () => new Uint8Array(MAX_BATCH_COMPRESSED_BYTES + 1),
    options: { headers: { 'content-length': String(MAX_BATCH_COMPRESSED_BYTES + 1) } },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a body over the limit whose Content-Length understates it',
    body: () => new Uint8Array(MAX_BATCH_COMPRESSED_BYTES + 1),
    options: { headers: { 'content-length': '100' } },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a streamed body over the compressed limit, without Content-Length',
    body: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(MAX_BATCH_COMPRESSED_BYTES / 4));
          controller.close();
        },
      }),
    status: 413,
    code: 'payload_too_large',
  },
  { name: 'a gzip bomb', body: () => new Uint8Array(gzipSync(Buffer.alloc(MAX_BATCH_INFLATED_BYTES + 1, ' '))), status: 413, code: 'payload_too_large', message: /inflates to more than/ },
  { name: 'a corrupt gzip stream', body: () => gzipJson(makeBatch()).slice(0, 30), status: 400, code: 'bad_compression' },
  { name: 'plain JSON sent as gzip', body: () => JSON.stringify(makeBatch()), status: 400, code: 'bad_compression' },
  { name: 'gzip sent as identity', body: () => gzipJson(makeBatch()), options: { enc: 'identity' }, status: 400, code: 'invalid_json' },
  { name: 'JSON that does not parse', body: () => new Uint8Array(gzipSync('{"v":1,')), status: 400, code: 'invalid_json' },
  { name: 'another wire format version', body: () => gzipJson({ ...makeBatch(), v: 2 }), status: 400, code: 'unsupported_version', message: /version 2/ },
  { name: 'a batch that is an array', body: () => gzipJson([makeBatch()]), status: 400, code: 'invalid_batch' },
  { name: 'a missing version', body: () => gzipJson({ ...makeBatch(), v: undefined }), status: 400, code: 'invalid_batch', message: /v:/ },
  { name: 'a malformed session id', body: () => gzipJson(makeBatch({ sessionId: 'short' })), status: 400, code: 'invalid_batch', message: /sessionId/ },
  { name: 'a negative seq', body: () => gzipJson(makeBatch({ seq: -1 })), status: 400, code: 'invalid_batch', message: /seq/ },
  { name: 'a fractional seq', body: () => gzipJson(makeBatch({ seq: 1.5 })), status: 400, code: 'invalid_batch', message: /seq/ },
  { name: 'a missing url', body: () => gzipJson({ ...makeBatch(), url: undefined }), status: 400, code: 'invalid_batch', message: /url/ },
  { name: 'a url holding U+0000', body: () => gzipJson(makeBatch({ url: 'https://shop.example/a\u0000b' })), status: 400, code: 'invalid_batch', message: /url/ },
  { name: 'no events', body: () => gzipJson(makeBatch({ events: [] })), status: 400, code: 'invalid_batch', message: /events/ },
  {
    name: 'too many events',
    body: () => gzipJson(makeBatch({ events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => events[2]!) })),
    status: 400,
    code: 'invalid_batch',
    message: /events/,
  },
  { name: 'an event type out of range', body: () => gzipJson(withEvent({ type: 7 })), status: 400, code: 'invalid_batch', message: /events\.1\.type/ },
  { name: 'a string timestamp', body: () => gzipJson(withEvent({ timestamp: '12' })), status: 400, code: 'invalid_batch', message: /events\.1\.timestamp/ },
  { name: 'an event without data', body: () => gzipJson(withEvent({ data: undefined })), status: 400, code: 'invalid_batch', message: /events\.1\.data/ },
  { name: 'an event whose data is an array', body: () => gzipJson(withEvent({ data: [] })), status: 400, code: 'invalid_batch', message: /events\.1\.data/ },
];

/**
 * The route is served ahead of the app's middleware and sets these itself: the CORS pair, and the
 * security headers every API answer carries (security-headers.ts).
 */
function expectIngestHeaders(res: Response): void {
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toBe(API_CSP);
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describeAppOnBothBackends('ingest route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('POST /api/ingest refuses bad input', () => {
    it.each(badCases)('refuses $name with $status $code, stores nothing, and keeps working', async ({ body, options, status, code, message }) => {
      const res = await postIngest(t.app, t.site.key, body(), options);
      expect(res.status).toBe(status);
      expectIngestHeaders(res);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      if (message) expect(json.error.message).toMatch(message);
      expect(await storedCounts()).toEqual({ sessions: 0, pages: 0, chunks: 0 });

      const good = await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({ stored: true, duplicate: false });
      expect(t.errors).toEqual([]);
    });

    it('refuses a session id already used by another site with 409 and changes nothing', async () => {
      const other = await t.repos.sites.create({ name: 'Other', origins: ['https://other.example'] }, Date.now());
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch()))).status).toBe(200);
      const before = await storedCounts();
      for (const seq of [0, 1]) {
        const res = await postIngest(t.app, other.key, gzipJson(makeBatch({ seq })), { origin: 'https://other.example' });
        expect(res.status).toBe(409);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('session_conflict');
      }
      expect(await storedCounts()).toEqual(before);
      expect((await t.repos.sessions.get('session-0001'))?.eventCount).toBe(4);
    });
  });

  describe('POST /api/ingest accepts', () => {
    it('with Retry-After exposed to the recorder across origins, as on refusals', async () => {
      const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch()), { origin: SHOP_ORIGIN });
      expect(res.status).toBe(200);
      expectIngestHeaders(res);
      expect(res.headers.get('content-type')).toBe('application/json');
      // A duplicate's answer is built the same way.
      const again = await postIngest(t.app, t.site.key, gzipJson(makeBatch()), { origin: SHOP_ORIGIN });
      expect(await again.json()).toEqual({ stored: false, duplicate: true });
      expectIngestHeaders(again);
    });

    it('a listed origin, and no Origin at all', async () => {
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 0 })), { origin: SHOP_ORIGIN })).status).toBe(200);
      expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq: 1 })))).status).toBe(200);
      expect((await storedCounts()).chunks).toBe(2);
    });

    it('"self" when the Origin matches the Host header', async () => {
      const self = await t.repos.sites.create({ name: 'demo', origins: ['self'] }, Date.now());
      const res = await postIngest(t.app, self.key, gzipJson(makeBatch()), { origin: 'http://fl.example', headers: { host: 'fl.example' } });
      expect(res.status).toBe(200);
      const refused = await postIngest(t.app, self.key, gzipJson(makeBatch({ seq: 1 })), { origin: 'http://other.example', headers: { host: 'fl.example' } });
      expect(refused.status).toBe(403);
    });

    it('application/json with a charset, and gzip named by Content-Encoding instead of enc', async () => {
      const res = await postIngest(t.app, t.site.key, gzipJson(makeBatch()), {
        enc: null,
        contentType: 'application/json; charset=utf-8',
        headers: { 'content-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stored: true, duplicate: false });
    });

    it('an identity body, stored gzipped', async () => {
      const res = await postIngest(t.app, t.site.key, JSON.stringify(makeBatch()), { enc: 'identity' });
      expect(res.status).toBe(200);
      const [{ body }] = (await t.rows<{ body: Buffer }>('SELECT body FROM chunks')) as [{ body: Buffer }];
      expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    });

    it('keeps the received gzip bytes as they were sent', async () => {
      const sent = gzipJson(makeBatch());
      await postIngest(t.app, t.site.key, sent);
      const [{ body }] = (await t.rows<{ body: Buffer }>('SELECT body FROM chunks')) as [{ body: Buffer }];
      expect(Buffer.compare(body, Buffer.from(sent))).toBe(0);
    });
  });

  describe('OPTIONS /api/ingest', () => {
    it('answers the preflight with 204, POST, the two headers and a day of max-age', async () => {
      const res = await t.app.request('/api/ingest?key=x&enc=gzip', {
        method: 'OPTIONS',
        headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'POST', 'user-agent': CHROME_UA },
      });
      expect(res.status).toBe(204);
      expectIngestHeaders(res);
      expect(res.headers.get('access-control-allow-methods')).toBe('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Content-Encoding');
      expect(res.headers.get('access-control-max-age')).toBe('86400');
    });
  });

  describe('other methods on /api/ingest', () => {
    it('get the API 404 with the ingest headers', async () => {
      const res = await t.app.request('/api/ingest?key=x', { headers: { origin: SHOP_ORIGIN } });
      expect(res.status).toBe(404);
      expectIngestHeaders(res);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });
  });
});
