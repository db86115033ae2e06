// A site for scripted visits the friction detectors are measured on: scenario pages with the recorder, a few test endpoints, and the real server.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreatedSite, FrictionFlag, SessionFriction } from '../../server/src/api-types';
import type { PageSignal } from '../../server/src/analysis/page-signals';
import { databasePath } from '../../server/src/db/open-database';
import { launchChromium } from './launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from './start-frictionlens';

const scenarioPagesDir = fileURLToPath(new URL('../fixtures/pages/scenarios/', import.meta.url));

/**
 * Pages without a final batch (a visitor who stays, a lost keepalive) complete once their session
 * has sent nothing for this long. Shorter than the recorder's 30 minutes to keep the suite quick,
 * but longer than its 5 s batch interval plus a visitor's pause, so no page is judged complete
 * while its visit goes on.
 */
export const SCENARIO_IDLE_TIMEOUT_MS = 10_000;
/** How long a page under /slow/ takes to answer: longer than the dead-click window. */
export const SLOW_PAGE_DELAY_MS = 2500;
/** Longest wait for one browser step (a page load, an element): generous, for a machine busy with other work. */
const BROWSER_STEP_TIMEOUT_MS = 60_000;
/** A visit's friction is computed within this long of its end: the idle timeout, the idle check, a busy machine. */
const COMPLETE_WITHIN_MS = 30_000;

export interface ScenarioSite {
  frictionlens: RunningFrictionlens;
  origin: string;
  /** Another origin, without the recorder: where a visitor goes when they leave the site. */
  elsewhere: string;
  browser: Browser;
  /** A browser profile for visits, one after the other: each visit opens its own tab, and so its own session. */
  newProfile(): Promise<BrowserContext>;
  /** Opens `path` in a new tab of the profile and waits until the recorder has a session. */
  open(profile: BrowserContext, path: string): Promise<Visit>;
  close(): Promise<void>;
}

export interface VisitFriction {
  flags: FrictionFlag[];
  /** A page's final batch, sent as the visitor left, never arrived: what it held is missing. */
  finalMissing: boolean;
}

export interface Visit {
  page: Page;
  sessionId: string;
  /** The session's page signals as the detectors read them, page by page: for a failure message. */
  signals(): PageSignal[][];
  /**
   * Waits until the session has `pages` page loads, each judged complete, then returns its friction.
   * `leftAt`: when the visitor left the site (closed the tab, went elsewhere): each page's final
   * batch is waited for too, until the session has been idle long enough to say it never came.
   */
  friction(pages: number, leftAt?: number): Promise<VisitFriction>;
}

/**
 * Test endpoints, all on the scenario origin:
 * - /api/ok answers 200 {"ok":true}; /api/fail answers 500; /api/promo answers 422 (a refused code);
 * - /slow/NAME.html is NAME.html, sent after SLOW_PAGE_DELAY_MS.
 */
function route(path: string): { status: number; body: string; type: string } | 'file' {
  if (path === '/api/ok') return { status: 200, body: '{"ok":true}', type: 'application/json' };
  if (path === '/api/fail') return { status: 500, body: '{"error":"internal"}', type: 'application/json' };
  if (path === '/api/promo') return { status: 422, body: '{"error":"This code is not valid."}', type: 'application/json' };
  if (path === '/favicon.ico') return { status: 204, body: '', type: 'text/plain' };
  return 'file';
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function startScenarioSite(): Promise<ScenarioSite> {
  const frictionlens = await startFrictionlens({ SESSION_IDLE_TIMEOUT_MS: String(SCENARIO_IDLE_TIMEOUT_MS) });
  let key = '';
  const site = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const answer = route(url.pathname);
    if (answer !== 'file') return void res.writeHead(answer.status, { 'Content-Type': answer.type, 'Cache-Control': 'no-store' }).end(answer.body);
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.includes('..')) return void res.writeHead(400).end();
    if (path.startsWith('/slow/')) {
      path = path.slice('/slow'.length);
      await new Promise((resolve) => setTimeout(resolve, SLOW_PAGE_DELAY_MS));
    }
    try {
      const html = (await readFile(join(scenarioPagesDir, path), 'utf8')).replace(
        '<!--RECORDER-->',
        `<script src="${frictionlens.origin}/recorder.js" data-key="${key}" async></script>`,
      );
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  const elsewhere = await listen((_req, res) => void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Elsewhere</title><p>Another site.</p>'));
  const created = await frictionlens.api<CreatedSite>('/api/sites', {
    method: 'POST',
    body: JSON.stringify({ name: 'Scenario site', origins: [site.origin] }),
  });
  key = created.key;
  const browser = await launchChromium();
  const db = new Database(databasePath(frictionlens.dataDir), { readonly: true, fileMustExist: true });
  const signalRows = db.prepare<[string], { pageId: string; signals: string }>(
    'SELECT page_id AS pageId, signals FROM page_signals WHERE session_id = ? ORDER BY seq',
  );
  const progress = db.prepare<[string, string], { pages: number; open: number; final: number; queued: number }>(
    `SELECT count(*) AS pages, count(*) - count(completed_at) AS open, count(final_seq) AS final,
       (SELECT count(*) FROM analysis_queue WHERE session_id = ?) AS queued
     FROM pages WHERE session_id = ?`,
  );

  return {
    frictionlens,
    origin: site.origin,
    elsewhere: elsewhere.origin,
    browser,
    async newProfile() {
      const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
      // A machine busy with other tests can take many seconds over a page load: slow, not broken.
      context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
      return context;
    },
    async open(profile, path) {
      // The recorder keeps its session in the tab's sessionStorage: a new tab is a new visitor's session.
      const page = await profile.newPage();
      await page.goto(site.origin + path);
      const sessionId = (await (await page.waitForFunction(() => window.frictionlens?.getSessionId())).jsonValue()) as string;
      return {
        page,
        sessionId,
        signals() {
          const byPage = new Map<string, PageSignal[]>();
          for (const row of signalRows.all(sessionId)) byPage.set(row.pageId, [...(byPage.get(row.pageId) ?? []), ...(JSON.parse(row.signals) as PageSignal[])]);
          return [...byPage.values()];
        },
        async friction(pages, leftAt) {
          const done = await waitFor(
            async () => progress.get(sessionId, sessionId)!,
            (now) =>
              now.pages >= pages &&
              now.open === 0 &&
              now.queued === 0 &&
              (leftAt === undefined || now.final === now.pages || Date.now() - leftAt > SCENARIO_IDLE_TIMEOUT_MS),
            COMPLETE_WITHIN_MS,
          );
          const { friction: flags } = await frictionlens.api<SessionFriction>(`/api/sessions/${sessionId}/friction`);
          return { flags, finalMissing: leftAt !== undefined && done.final < done.pages };
        },
      };
    },
    async close() {
      db.close();
      await browser?.close();
      await new Promise((resolve) => site.server.close(resolve));
      await new Promise((resolve) => elsewhere.server.close(resolve));
      await frictionlens?.stop();
    },
  };
}
