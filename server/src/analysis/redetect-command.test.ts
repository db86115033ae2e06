import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from '../testing/test-app';

const run = promisify(execFile);
const COMMAND = fileURLToPath(new URL('./redetect-command.ts', import.meta.url));
const T0 = 1_700_000_000_000;

let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const click = (ts: number) =>
  ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 5, y: 5, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 800, selector: '#apply', offsetX: 0.5, offsetY: 0.5, fixed: false, clickCount: 1, target: { kind: 'button', text: 'Apply' } } } }) as eventWithTime;

const redetect = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', COMMAND, ...args], { env: { ...process.env, DATA_DIR: t.dataDir }, timeout: 60_000 });

describe('npm run redetect', () => {
  it('analyses every stored batch of the site again, with progress, and rebuilds its friction', async () => {
    // Five clicks in a second on a button that changes nothing, then the page ends: a rage click.
    const events = [...sampleEvents(T0, 2), ...[0, 200, 400, 600, 800].map((ms) => click(T0 + 1000 + ms)), { type: 3, timestamp: T0 + 9000, data: { source: 3, id: 1, x: 0, y: 10 } } as eventWithTime];
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ events, final: true })))).status).toBe(200);
    // As if the analysis had run with an older detector that found nothing: signals and friction are wiped.
    t.db.exec('DELETE FROM analysis_queue; DELETE FROM friction');

    const { stdout, stderr } = await redetect('--site', t.site.id);
    expect(stdout).toContain(`redetect: 1 batches analysed for site ${t.site.id}`);
    expect(stderr + stdout).toMatch(/100%/);
    expect(t.repos.friction.listBySession('session-0001').map((f) => f.type)).toContain('rage_click');
    expect(t.repos.analysisQueue.depth()).toBe(0);
  });

  it('refuses a site that does not exist', async () => {
    await expect(redetect('--site', 'no-such-site')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no site no-such-site') });
  });
});
