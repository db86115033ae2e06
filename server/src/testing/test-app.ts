// Test support: the real app on a real SQLite file in a temp dir, plus builders for ingest requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Database } from 'better-sqlite3';
import type { Hono } from 'hono';
import type { eventWithTime } from '@rrweb/types';
import { WIRE_FORMAT_VERSION, type IngestBatch } from '../../../recorder/src/wire/format';
import type { Site } from '../api-types';
import { createApp, type AppDeps } from '../app';
import { openDatabase } from '../db/open-database';
import { createRepos, type Repos } from '../repos/create-repos';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SHOP_ORIGIN = 'https://shop.example';
export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface TestApp {
  app: Hono;
  db: Database;
  repos: Repos;
  dataDir: string;
  /** A site allowing SHOP_ORIGIN, ready to ingest into. */
  site: Site;
  /** Logged unexpected errors; tests assert it stays empty. */
  errors: unknown[];
  close(): void;
}

export function createTestApp(overrides: Partial<AppDeps> = {}): TestApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-test-'));
  const db = openDatabase(dataDir);
  const repos = createRepos(db);
  const site = repos.sites.create({ name: 'Shop', origins: [SHOP_ORIGIN] });
  const errors: unknown[] = [];
  const app = createApp({ db, repos, adminToken: TEST_ADMIN_TOKEN, logError: (_message, err) => errors.push(err), ...overrides });
  return {
    app,
    db,
    repos,
    dataDir,
    site,
    errors,
    close() {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A few realistic rrweb events: Meta, FullSnapshot, then mouse moves, starting at `start` ms. */
export function sampleEvents(start: number, count = 4, href = `${SHOP_ORIGIN}/`): eventWithTime[] {
  const events = [
    { type: 4, timestamp: start, data: { href, width: 1280, height: 800 } },
    {
      type: 2,
      timestamp: start + 1,
      data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } },
    },
  ] as eventWithTime[];
  for (let i = events.length; i < count; i++) {
    events.push({
      type: 3,
      timestamp: start + i * 10,
      data: { source: 1, positions: [{ x: i, y: i * 2, id: 1, timeOffset: 0 }] },
    } as eventWithTime);
  }
  return events.slice(0, count);
}

export function makeBatch(overrides: Partial<IngestBatch> = {}): IngestBatch {
  const events = overrides.events ?? sampleEvents(1_700_000_000_000);
  return {
    v: WIRE_FORMAT_VERSION,
    sessionId: 'session-0001',
    seq: 0,
    pageId: 'page-0001',
    url: `${SHOP_ORIGIN}/`,
    sentAt: 1_700_000_060_000,
    events,
    ...overrides,
  };
}

export function gzipJson(value: unknown): Uint8Array<ArrayBuffer> {
  return new Uint8Array(gzipSync(JSON.stringify(value)));
}

export interface IngestOptions {
  key?: string | null;
  enc?: string | null;
  contentType?: string | null;
  origin?: string;
  headers?: Record<string, string>;
}

/** POSTs to /api/ingest the way the recorder does: gzip body, key and enc in the query, text/plain. */
export function postIngest(app: Hono, key: string, body: BodyInit, options: IngestOptions = {}): Promise<Response> {
  const params = new URLSearchParams();
  const siteKey = options.key === undefined ? key : options.key;
  if (siteKey !== null) params.set('key', siteKey);
  const enc = options.enc === undefined ? 'gzip' : options.enc;
  if (enc !== null) params.set('enc', enc);
  const headers: Record<string, string> = { host: 'fl.example', 'user-agent': CHROME_UA, ...options.headers };
  const contentType = options.contentType === undefined ? 'text/plain;charset=UTF-8' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  if (options.origin) headers.origin = options.origin;
  // A stream body needs duplex: 'half' in Node's fetch; lib.dom's RequestInit does not name it yet.
  const init = { method: 'POST', headers, body, duplex: 'half' } as RequestInit;
  return Promise.resolve(app.request(`/api/ingest?${params}`, init));
}

export function rowCounts(db: Database): { sessions: number; pages: number; chunks: number } {
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  return { sessions: count('sessions'), pages: count('pages'), chunks: count('chunks') };
}

export function adminHeaders(token = TEST_ADMIN_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
