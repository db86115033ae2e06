// Deletion and retention through the real server: DELETE over HTTP, and the retention job of the analysis process deleting an expired session after a restart and giving the space back.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite } from '../../server/src/api-types';
import { databasePath } from '../../server/src/db/open-database';
import { DAY_MS } from '../../server/src/retention/retention-period';
import { WIRE_FORMAT_VERSION } from '../../recorder/src/wire/format';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';

const SESSIONS = ['session-expired', 'session-deleted', 'session-kept'];
let server: RunningFrictionlens;
let site: CreatedSite;
beforeAll(async () => {
  server = await startFrictionlens();
  site = await server.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Shop', origins: ['https://shop.example'] }) });
  const now = Date.now();
  for (const sessionId of SESSIONS) {
    for (let seq = 0; seq < 3; seq++) {
      const at = now - 60_000 + seq * 1000;
      const events = [
        { type: 4, timestamp: at, data: { href: 'https://shop.example/', width: 1280, height: 800 } },
        { type: 2, timestamp: at + 1, data: { node: { type: 0, id: 1, childNodes: [] }, initialOffset: { top: 0, left: 0 } } },
        // Incompressible, so that deleting the session frees whole pages of the file.
        { type: 5, timestamp: at + 2, data: { tag: 'bulk', payload: randomBytes(48 * 1024).toString('hex') } },
      ];
      const batch = { v: WIRE_FORMAT_VERSION, sessionId, seq, pageId: `${sessionId}-p0`, url: 'https://shop.example/', sentAt: at + 10, events };
      const res = await fetch(`${server.origin}/api/ingest?key=${site.key}&enc=gzip`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: gzipSync(JSON.stringify(batch)) });
      expect(res.status, await res.text()).toBe(200);
    }
  }
});
afterAll(() => server?.stop());

function readDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(databasePath(server.dataDir), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const status = async (path: string, method = 'GET') => (await fetch(server.origin + path, { method, headers: { authorization: `Bearer ${server.adminToken}` } })).status;

describe('deletion and retention in the running server', () => {
  it('deletes a session over HTTP; a site key cannot', async () => {
    const withKey = await fetch(`${server.origin}/api/sessions/session-deleted`, { method: 'DELETE', headers: { authorization: `Bearer ${site.key}` } });
    expect(withKey.status).toBe(401);
    expect(withKey.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(await status('/api/sessions/session-deleted')).toBe(200);
    expect(await status('/api/sessions/session-deleted', 'DELETE')).toBe(200);
    expect(await status('/api/sessions/session-deleted')).toBe(404);
    expect(readDb((db) => db.prepare("SELECT count(*) FROM chunks WHERE session_id = 'session-deleted'").pluck().get())).toBe(0);
  });

  it('applies a site’s retention period when the analysis process starts, deleting only what is past it, and hands the pages back', { timeout: 90_000 }, async () => {
    await server.api(`/api/sites/${site.id}`, { method: 'PATCH', body: JSON.stringify({ retentionDays: 30 }) });
    // The job's first look is at the analysis process's start; by then the session must be old.
    expect(await server.kill()).toEqual({ code: 0, signal: null });
    const db = new Database(databasePath(server.dataDir));
    db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(Date.now() - 31 * DAY_MS, 'session-expired');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pagesBefore = db.pragma('page_count', { simple: true }) as number;
    db.close();

    await server.relaunch();
    await waitFor(() => status('/api/sessions/session-expired'), (code) => code === 404, 30_000);
    expect(await status('/api/sessions/session-kept')).toBe(200);
    // The same run goes on to incremental_vacuum: no free page is left, and the file holds fewer pages.
    const after = await waitFor(
      async () => readDb((reader) => ({ free: reader.pragma('freelist_count', { simple: true }) as number, pages: reader.pragma('page_count', { simple: true }) as number })),
      ({ free, pages }) => free === 0 && pages < pagesBefore,
      30_000,
    );
    // Six batches of ~55 KB each went (the expired session's, and the deleted one's left free inside the file): at least 60 pages of 4 KB.
    expect(pagesBefore - after.pages).toBeGreaterThan(60);
    expect(server.output()).toMatch(/retention: deleted 1 session past their site's period/);
  });
});
