// The recorder's size budget, and proof in Chromium that the build's rrweb canvas stub records pages with canvases.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { eventWithTime } from '@rrweb/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionList } from '../../server/src/api-types';
import { startRecordedSite, type RecordedSite } from '../support/recorded-site';
import { waitFor } from '../support/start-frictionlens';

/**
 * Everything a site downloads, gzip -9. Today's best ship 27 to 190 KB (Microsoft Clarity 26.7 KB);
 * we stay at most 30 KB. Options and their sizes: npm run bench:recorder-size.
 */
const RECORDER_BUDGET_GZIP_BYTES = 30 * 1024;
/**
 * frictionlens.mjs is the same recorder, not minified (a site's bundler minifies it; served as it
 * is, it is what a page importing it downloads): 54.7 KB gzip -9 when its budget was set.
 */
const MODULE_BUDGET_GZIP_BYTES = 60 * 1024;
const recorderPath = fileURLToPath(new URL('../../dist/recorder/recorder.js', import.meta.url));
const modulePath = fileURLToPath(new URL('../../dist/recorder/frictionlens.mjs', import.meta.url));

describe('recorder.js', () => {
  it(`is at most ${RECORDER_BUDGET_GZIP_BYTES} bytes gzipped (gzip -9)`, () => {
    const gzipBytes = gzipSync(readFileSync(recorderPath), { level: 9 }).length;
    expect(gzipBytes, `recorder.js is ${gzipBytes} B gzipped`).toBeLessThanOrEqual(RECORDER_BUDGET_GZIP_BYTES);
  });
});

describe('frictionlens.mjs', () => {
  it(`is at most ${MODULE_BUDGET_GZIP_BYTES} bytes gzipped (gzip -9)`, () => {
    const gzipBytes = gzipSync(readFileSync(modulePath), { level: 9 }).length;
    expect(gzipBytes, `frictionlens.mjs is ${gzipBytes} B gzipped`).toBeLessThanOrEqual(MODULE_BUDGET_GZIP_BYTES);
  });
});

/** 2D and WebGL canvases drawn before and after the snapshot, next to a shadow root rrweb must still follow. */
const CANVAS_PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Canvas page</title></head>
  <body>
    <h1>Canvas page</h1>
    <canvas id="flat" width="200" height="100"></canvas>
    <canvas id="gl" width="200" height="100"></canvas>
    <div id="host"></div>
    <button id="draw">Draw again</button>
    <p id="status"></p>
    <!--RECORDER-->
    <script>
      function draw() {
        const flat = document.getElementById('flat').getContext('2d');
        flat.fillStyle = '#c8643b';
        flat.fillRect(10, 10, 80, 40);
        const gl = document.getElementById('gl').getContext('webgl');
        if (gl) {
          gl.clearColor(0, 0.5, 0, 1);
          gl.clear(gl.COLOR_BUFFER_BIT);
        }
      }
      draw();
      document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<p>Inside the shadow root</p>';
      document.getElementById('draw').addEventListener('click', () => {
        draw();
        const late = document.createElement('canvas');
        late.id = 'late';
        document.body.append(late);
        late.getContext('2d').fillRect(0, 0, 5, 5);
        document.getElementById('status').textContent = 'Drawn again';
      });
    </script>
  </body>
</html>
`;

describe('recorder.js built with the rrweb canvas stub', () => {
  let recorded: RecordedSite;
  let pagesDir: string;

  beforeAll(async () => {
    pagesDir = mkdtempSync(join(tmpdir(), 'frictionlens-canvas-'));
    writeFileSync(join(pagesDir, 'canvas.html'), CANVAS_PAGE);
    recorded = await startRecordedSite(pagesDir);
  });

  afterAll(async () => {
    await recorded?.close();
    if (pagesDir) rmSync(pagesDir, { recursive: true, force: true });
  });

  it('records canvases as elements, keeps recording after they are drawn, and never faults', async () => {
    const { frictionlens, site, browser, siteId } = recorded;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // Chromium's software GL logs driver notes as warnings; they are not ours.
      const fromGlDriver = message.text().includes('GL Driver Message');
      if ((message.type() === 'warning' || message.type() === 'error') && !fromGlDriver) problems.push(message.text());
    });

    await page.goto(`${site.origin}/canvas.html`);
    await page.waitForFunction(() => 'frictionlens' in window);
    await page.click('#draw');
    await expect.poll(() => page.textContent('#status')).toBe('Drawn again');
    const sessionId = await page.evaluate(() =>
      (window as unknown as { frictionlens: { getSessionId(): string } }).frictionlens.getSessionId(),
    );
    expect(sessionId).toBeTruthy();
    await page.goto('about:blank');
    await page.close();

    await waitFor(
      () => frictionlens.api<SessionList>(`/api/sessions?site=${siteId}`),
      ({ sessions }) => sessions.length === 1,
    );
    const events = await waitFor(
      () => frictionlens.api<eventWithTime[]>(`/api/sessions/${sessionId}/events`),
      (stored) => JSON.stringify(stored).includes('Drawn again'),
    );
    const stored = JSON.stringify(events);
    const snapshot = JSON.stringify(events.find((event) => event.type === 2));
    expect(snapshot).toContain('"id":"flat"');
    expect(snapshot).toContain('"id":"gl"');
    expect(snapshot).toContain('Inside the shadow root');
    expect(stored).toContain('"id":"late"');
    // Incremental source 9 is CanvasMutation: no pixels are recorded, as with recordCanvas: false before.
    expect(events.some((event) => event.type === 3 && event.data.source === 9)).toBe(false);
    expect(stored).not.toContain('rr_dataURL');
    expect(problems).toEqual([]);
  });
});
