// The bench page under each condition: no recorder, bare rrweb record() (alone and with JSON.stringify of each event), Sentry Replay, our recorder.js and optionally an older build of it.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { RECORD_OPTIONS } from '../recorder/src/recording-engine';
import type { CreatedSite } from '../server/src/api-types';
import type { RunningFrictionlens } from '../test/support/start-frictionlens';
import { startStaticServer, type StaticServer } from '../test/support/static-server';

const PAGES_DIR = fileURLToPath(new URL('../test/fixtures/pages/', import.meta.url));
const RECORDER_JS = fileURLToPath(new URL('../dist/recorder/recorder.js', import.meta.url));
const RRWEB_UMD = fileURLToPath(new URL('../node_modules/@rrweb/record/dist/record.umd.min.cjs', import.meta.url));
const PRIVACY_OPTIONS = fileURLToPath(new URL('../recorder/src/privacy/privacy-options.ts', import.meta.url));
const SENTRY_ENTRY = fileURLToPath(new URL('./recorder-sentry-entry.ts', import.meta.url));
/** test/fixtures/pages/bench-mutations.html: ?workload=name sets one up, window.benchWorkload() runs it. */
export const BENCH_PAGE = 'bench-mutations.html';

/**
 * stringify: bare rrweb plus JSON.stringify of every event it emits, the least any recorder that
 * sends its events must pay. sentry: Sentry Replay from npm (@sentry/browser), every session recorded.
 * old: another build of our recorder.js (--old-js), measured in the same rounds as ours, side by side.
 */
export type Condition = 'none' | 'bare' | 'stringify' | 'sentry' | 'ours' | 'old';
export const CONDITIONS: readonly Condition[] = ['none', 'bare', 'stringify', 'sentry', 'ours'];
export const ALL_CONDITIONS: readonly Condition[] = [...CONDITIONS, 'old'];
/** Our recorder, in this build or in the older one: both load the same way and send to our server. */
export const isOurs = (condition: Condition) => condition === 'ours' || condition === 'old';

/** Paths of the requests that carry a condition's recording: ours and Sentry's. */
export const isRecordingPost = (url: string) => url.includes('/api/ingest') || url.includes('/envelope/');

async function buildIife(entry: string, name: string, minify: boolean): Promise<string> {
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { write: false, minify, target: 'es2019', lib: { entry, formats: ['iife'], name, fileName: () => `${name}.js` } },
  })) as Rolldown.RolldownOutput[];
  const code = result[0]!.output[0].code;
  if (/<\/script|<!--/i.test(code)) throw new Error(`${name} cannot be inlined`);
  return code;
}

/**
 * Bare rrweb as our engine configures it: the UMD from node_modules, RECORD_OPTIONS and the real
 * privacy options (selectors and mask function, compiled from recorder/src), emitting into an array.
 */
async function bareRecorderHtml(stringify: boolean): Promise<string> {
  const umd = readFileSync(RRWEB_UMD, 'utf8');
  const privacy = await buildIife(PRIVACY_OPTIONS, 'benchPrivacy', false);
  if (/<\/script|<!--/i.test(umd)) throw new Error('rrweb cannot be inlined');
  const options = JSON.stringify(RECORD_OPTIONS);
  const push = stringify ? 'window.benchEvents.push(JSON.stringify(event));' : 'window.benchEvents.push(event);';
  return `<script>${umd}</script>
  <script>${privacy}</script>
  <script>
    window.benchEvents = [];
    rrwebRecord.record(Object.assign({}, ${options}, benchPrivacy.privacyOptions(false), {
      sampling: Object.assign({}, ${JSON.stringify(RECORD_OPTIONS.sampling)}),
      emit: function (event) { ${push} },
    }));
  </script>`;
}

/** Sentry's envelope endpoint, reduced to answering 200 to every post (with CORS, as sentry.io does). */
async function startEnvelopeSink(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * One static server per condition, each writing its own recorder into the page. Ours is served
 * from a copy of recorder.js (default dist/recorder/recorder.js) taken now, so a rebuild during a
 * long run does not change what is measured; `oldJs`, an older build, is served beside it as 'old'.
 */
export async function startConditionServers(
  frictionlens: RunningFrictionlens,
  recorderJs = RECORDER_JS,
  oldJs?: string,
  /** Where the pages post instead of an endpoint's own host:port (the overhead bench's tracking proxy). */
  via: (hostPort: string) => Promise<string> = async (hostPort) => hostPort,
): Promise<Record<Condition, StaticServer>> {
  const inject = (html: string) => (page: string) => page.replace('<!--RECORDER-->', () => html);
  const none = await startStaticServer(PAGES_DIR, inject(''));
  const bare = await startStaticServer(PAGES_DIR, inject(await bareRecorderHtml(false)));
  const stringify = await startStaticServer(PAGES_DIR, inject(await bareRecorderHtml(true)));
  const sink = await startEnvelopeSink();
  const sentryCode = await buildIife(SENTRY_ENTRY, 'benchSentry', true);
  const sentryServer = await startStaticServer(
    PAGES_DIR,
    inject(`<script>window.benchSentryDsn = 'http://0123456789abcdef0123456789abcdef@${await via(sink.origin)}/1';</script><script>${sentryCode}</script>`),
  );
  const sentry = { origin: sentryServer.origin, close: async () => (await sentryServer.close(), await sink.close()) };
  let key = '';
  const endpoint = `http://${await via(new URL(frictionlens.origin).host)}`;
  const serveRecorder = async (js: string): Promise<StaticServer> => {
    const copyDir = mkdtempSync(join(tmpdir(), 'frictionlens-bench-recorder-'));
    copyFileSync(js, join(copyDir, 'recorder.js'));
    const recorderServer = await startStaticServer(copyDir);
    const page = await startStaticServer(PAGES_DIR, (html) =>
      html.replace('<!--RECORDER-->', `<script src="${recorderServer.origin}/recorder.js" data-key="${key}" data-endpoint="${endpoint}"></script>`),
    );
    return { origin: page.origin, close: async () => (await page.close(), await recorderServer.close()) };
  };
  const ours = await serveRecorder(recorderJs);
  const old = oldJs ? await serveRecorder(oldJs) : undefined;
  const created = await frictionlens.api<CreatedSite>('/api/sites', {
    method: 'POST',
    body: JSON.stringify({ name: 'overhead bench', origins: [ours.origin, ...(old ? [old.origin] : [])] }),
  });
  key = created.key;
  const servers = { none, bare, stringify, sentry, ours } as Record<Condition, StaticServer>;
  if (old) servers.old = old;
  return servers;
}

/** Our recorder would send buffered events on its next 5 s tick; "hidden" makes it send them now. */
export const FLUSH_BY_HIDING_JS = `Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
  delete document.visibilityState;`;

export async function flushByHiding(page: Page): Promise<void> {
  await page.evaluate(FLUSH_BY_HIDING_JS);
}
