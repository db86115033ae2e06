// The bench page under each condition: no recorder, bare rrweb record() as our engine configures it, and our recorder.js.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { RECORD_OPTIONS } from '../recorder/src/recording-engine';
import type { CreatedSite } from '../server/src/api-types';
import type { RunningFrictionlens } from '../test/support/start-frictionlens';
import { startStaticServer, type StaticServer } from '../test/support/static-server';

const PAGES_DIR = fileURLToPath(new URL('../test/fixtures/pages/', import.meta.url));
const RRWEB_UMD = fileURLToPath(new URL('../node_modules/@rrweb/record/dist/record.umd.min.cjs', import.meta.url));
const PRIVACY_OPTIONS = fileURLToPath(new URL('../recorder/src/privacy/privacy-options.ts', import.meta.url));
/** test/fixtures/pages/bench-mutations.html: ?workload=name sets one up, window.benchWorkload() runs it. */
export const BENCH_PAGE = 'bench-mutations.html';

export type Condition = 'none' | 'bare' | 'ours';
export const CONDITIONS: readonly Condition[] = ['none', 'bare', 'ours'];

/**
 * Bare rrweb as our engine configures it: the UMD from node_modules, RECORD_OPTIONS and the real
 * privacy options (selectors and mask function, compiled from recorder/src), emitting into an array.
 */
async function bareRecorderHtml(): Promise<string> {
  const umd = readFileSync(RRWEB_UMD, 'utf8');
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'es2019',
      lib: { entry: PRIVACY_OPTIONS, formats: ['iife'], name: 'benchPrivacy', fileName: () => 'privacy.js' },
    },
  })) as Rolldown.RolldownOutput[];
  const privacy = result[0]!.output[0].code;
  for (const script of [umd, privacy]) if (/<\/script|<!--/i.test(script)) throw new Error('a script cannot be inlined');
  const options = JSON.stringify(RECORD_OPTIONS);
  return `<script>${umd}</script>
  <script>${privacy}</script>
  <script>
    window.benchEvents = [];
    rrwebRecord.record(Object.assign({}, ${options}, benchPrivacy.privacyOptions(false), {
      sampling: Object.assign({}, ${JSON.stringify(RECORD_OPTIONS.sampling)}),
      emit: function (event) { window.benchEvents.push(event); },
    }));
  </script>`;
}

/** One static server per condition, each writing its own recorder into the page. */
export async function startConditionServers(frictionlens: RunningFrictionlens): Promise<Record<Condition, StaticServer>> {
  const bare = await bareRecorderHtml();
  const none = await startStaticServer(PAGES_DIR, (html) => html.replace('<!--RECORDER-->', ''));
  const bareServer = await startStaticServer(PAGES_DIR, (html) => html.replace('<!--RECORDER-->', () => bare));
  let key = '';
  const ours = await startStaticServer(PAGES_DIR, (html) =>
    html.replace('<!--RECORDER-->', `<script src="${frictionlens.origin}/recorder.js" data-key="${key}"></script>`),
  );
  const created = await frictionlens.api<CreatedSite>('/api/sites', {
    method: 'POST',
    body: JSON.stringify({ name: 'overhead bench', origins: [ours.origin] }),
  });
  key = created.key;
  return { none, bare: bareServer, ours };
}

/** Our recorder would send buffered events on its next 5 s tick; "hidden" makes it send them now. */
export async function flushByHiding(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete (document as { visibilityState?: unknown }).visibilityState;
  });
}
