// A fixture site recorded by the real server: frictionlens, a site for the fixture origin, the pages, and Chromium.
import { fileURLToPath } from 'node:url';
import type { eventWithTime } from '@rrweb/types';
import type { Browser, Page } from 'playwright-core';
import type { CreatedSite } from '../../server/src/api-types';
import { INGEST_PATH } from '../../recorder/src/wire/format';
import { RECORDER_FILES } from '../../server/src/static/static-routes';
import { launchChromium } from './launch-chromium';
import { startFrictionlens, waitFor, type RunningFrictionlens } from './start-frictionlens';
import { startStaticServer, type StaticServer } from './static-server';

const fixturePagesDir = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));

export interface RecordedSite {
  frictionlens: RunningFrictionlens;
  /** Id and key of the site created for the fixture origin. */
  siteId: string;
  siteKey: string;
  site: StaticServer;
  browser: Browser;
  /** Extra attributes of the script tag served from now on, e.g. 'data-consent="required"'. */
  tagAttributes: string;
  /** A page that logs every request it makes and every error it throws. */
  newPage(): Promise<{ page: Page; requests: string[]; errors: string[] }>;
  /** The session's stored events once `done` accepts them. */
  events(sessionId: string, done: (events: eventWithTime[]) => boolean): Promise<eventWithTime[]>;
  close(): Promise<void>;
}

/**
 * Serves `pagesDir` (default: test/fixtures/pages) with the script tag at each page's <!--RECORDER--> comment.
 * `env` is the server's extra environment (see startFrictionlens).
 */
export async function startRecordedSite(pagesDir = fixturePagesDir, env: Record<string, string> = {}): Promise<RecordedSite> {
  const frictionlens = await startFrictionlens(env);
  let key = '';
  const recorded = {} as RecordedSite;
  recorded.tagAttributes = '';
  // The fixture site runs on its own origin, so ingest is a real cross-origin request.
  const site = await startStaticServer(pagesDir, (html) =>
    html.replace(
      '<!--RECORDER-->',
      `<script src="${frictionlens.origin}/recorder.js" data-key="${key}" ${recorded.tagAttributes} async></script>`,
    ),
  );
  const created = await frictionlens.api<CreatedSite>('/api/sites', {
    method: 'POST',
    body: JSON.stringify({ name: 'Fixture site', origins: [site.origin] }),
  });
  key = created.key;
  const browser = await launchChromium();
  return Object.assign(recorded, {
    frictionlens,
    siteId: created.id,
    siteKey: created.key,
    site,
    browser,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => errors.push(error.message));
      return { page, requests, errors };
    },
    events: (sessionId: string, done: (events: eventWithTime[]) => boolean) =>
      waitFor(() => frictionlens.api<eventWithTime[]>(`/api/sessions/${sessionId}/events`).catch(() => []), done),
    async close() {
      await browser?.close();
      await site?.close();
      await frictionlens?.stop();
    },
  });
}

/** Requests the page made to the frictionlens server, other than loading the recorder itself (recorder.js, frictionlens.mjs). */
export function sentToFrictionlens(requests: readonly string[], origin: string): string[] {
  const loads = RECORDER_FILES.map((file) => `${origin}/${file}`);
  return requests.filter((url) => url.startsWith(origin) && !loads.some((load) => url.startsWith(load)));
}

export const isIngest = (url: string) => new URL(url).pathname === INGEST_PATH;

/** Every frictionlens key in the page's sessionStorage and localStorage, with its value. */
export function storedKeys(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const found: Record<string, string> = {};
    for (const storage of [sessionStorage, localStorage])
      for (const key of Object.keys(storage)) if (key.startsWith('frictionlens.')) found[key] = storage.getItem(key) ?? '';
    return found;
  });
}

/** Calls window[holder].<name>(...args) in the page. */
export function callOn<T = unknown>(page: Page, holder: string, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([holder, name, args]) => {
      const api = (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[holder as string]!;
      return api[name as string]!(...(args as unknown[])) as never;
    },
    [holder, name, args] as const,
  );
}

/** Calls window.frictionlens.<name>(...args) in the page. */
export const callApi = <T = unknown>(page: Page, name: string, ...args: unknown[]): Promise<T> =>
  callOn<T>(page, 'frictionlens', name, ...args);
