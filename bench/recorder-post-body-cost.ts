// What posting a gzip body costs the page's main thread, as a Uint8Array and as a Blob, with and without DevTools attached.
// Run: npx tsx bench/recorder-post-body-cost.ts [--posts 40] [--rounds 3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_ARGS, findChromium, launchChromium } from '../test/support/launch-chromium';
import { median, positiveIntOption } from './bench-args';
import { openRawPage } from './recorder-raw-page';

/** Body sizes as the recorder posts them: a small burst, the keepalive limit, an add-and-move burst. */
const SIZES = [25_000, 60_000, 140_000];
const KINDS = ['bytes', 'blob'] as const;
/** A page that has not posted everything by then has failed. */
const RUN_TIMEOUT_MS = 120_000;

/**
 * The page posts `posts` bodies of one size and kind, one after another as the recorder's sender
 * does (the next when the last is answered), between two marks; the server reads the renderer's
 * main-thread CPU (schedstat, ns) at each mark. Random bytes, like gzip: nothing to compress.
 */
const PAGE = (posts: number) => `<!doctype html><script>
const mark = (name) => fetch('/mark?' + name, { method: 'POST' });
async function run(size, kind) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  await mark('start');
  for (let i = 0; i < ${posts}; i++) {
    const body = kind === 'blob' ? new Blob([bytes]) : bytes.slice();
    await fetch('/sink?enc=gzip', { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } }).then((r) => r.text());
  }
  await mark('end');
}
const query = new URLSearchParams(location.search);
run(Number(query.get('size')), query.get('kind'));
</script>`;

/** Main-thread CPU in ns of every renderer under this process (either way of starting Chromium): a renderer's main thread has its process's id. */
function rendererMainThreadNs(root: number): number {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  const under = (pid: number): boolean => pid === root || (pid > 1 && parents.has(pid) && under(parents.get(pid)!));
  let ns = 0;
  for (const pid of renderers.filter(under)) ns += Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
  return ns;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const posts = positiveIntOption(argv, '--posts', 40);
  const rounds = positiveIntOption(argv, '--rounds', 3);
  let marks: Record<string, number> = {};
  let onMark: ((name: string) => void) | null = null;
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    req.resume();
    req.on('end', () => {
      if (url.pathname === '/mark') {
        const name = url.search.slice(1);
        marks[name] = rendererMainThreadNs(process.pid);
        onMark?.(name);
      }
      res.writeHead(200, { 'Content-Type': url.pathname === '/' ? 'text/html' : 'text/plain' }).end(url.pathname === '/' ? PAGE(posts) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitMark = (wanted: string) => new Promise<void>((resolve) => (onMark = (name) => name === wanted && resolve()));

  const results = new Map<string, number[]>();
  const note = (key: string, ms: number) => results.set(key, [...(results.get(key) ?? []), ms]);

  // Without DevTools: Chromium started by hand, driven only by its own page's script.
  const profile = mkdtempSync(join(tmpdir(), 'post-body-cost-'));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['no DevTools', 'DevTools, Playwright page', 'DevTools, raw page'] as const) {
        for (const size of SIZES) {
          for (const kind of KINDS) {
            marks = {};
            const query = `size=${size}&kind=${kind}`;
            if (mode === 'no DevTools') await withoutDevTools(origin, query, profile, waitMark);
            else await withDevTools(origin, query, waitMark, mode === 'DevTools, raw page');
            note(`${mode}, ${kind}, ${size / 1000} KB`, (marks.end! - marks.start!) / 1e6 / posts);
          }
        }
      }
      console.log(`round ${round + 1}/${rounds}`);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
    server.close();
  }
  console.log(`main-thread CPU per post (ms), median of ${rounds} rounds of ${posts} posts; renderer main thread from /proc`);
  for (const [key, values] of results) console.log(`  ${key.padEnd(44)} ${median(values).toFixed(2)}  (${values.map((v) => v.toFixed(2)).join(', ')})`);
}

type WaitMark = (name: string) => Promise<void>;

/** One page load that runs one size and kind by itself (#auto), in a Chromium with no DevTools client. */
async function withoutDevTools(origin: string, query: string, profile: string, waitMark: WaitMark): Promise<void> {
  const ended = waitMark('end');
  const child = spawn(await findChromium(), [...CHROMIUM_ARGS, '--headless=new', `--user-data-dir=${profile}`, `${origin}/?${query}`], { stdio: 'ignore' });
  try {
    await Promise.race([ended, sleep(RUN_TIMEOUT_MS).then(() => Promise.reject(new Error('the page did not finish')))]);
  } finally {
    child.kill();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * The same page under Playwright: a page of its own, listening for request bodies as the overhead
 * bench once did, or a raw page (recorder-raw-page.ts) without the Network domain.
 */
async function withDevTools(origin: string, query: string, waitMark: WaitMark, raw: boolean): Promise<void> {
  const browser = await launchChromium();
  try {
    const ended = waitMark('end');
    if (raw) await (await openRawPage(browser)).goto(`${origin}/?${query}`);
    else {
      const page = await browser.newPage();
      page.on('request', (request) => void request.postDataBuffer());
      await page.goto(`${origin}/?${query}`);
    }
    await Promise.race([ended, sleep(RUN_TIMEOUT_MS).then(() => Promise.reject(new Error('the page did not finish')))]);
  } finally {
    await browser.close();
  }
}

await main();
