import type { eventWithTime } from '@rrweb/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import type { Detector } from '../detectors/detected-friction';
import { createTestApp, gzipJson, makeBatch, postIngest, sampleEvents, type TestApp } from '../testing/test-app';
import { createAnalysisPass } from './analysis-pass';
import { sqliteTransactions } from './analysis-transactions';
import type { PageHook } from './page-hook';

const T0 = 1_700_000_000_000;
let t: TestApp;
beforeEach(() => {
  t = createTestApp();
});
afterEach(() => t.close());

const everyClickDead: Detector = ({ signals }) =>
  signals.flatMap((s) => (s.k === 'click' ? [{ type: 'dead_click' as const, ts: s.t, url: '', selector: s.sel, reason: 'r', details: { windowMs: 1, lookedFor: [] } }] : []));
const click = (ts: number) =>
  ({ type: 5, timestamp: ts, data: { tag: CUSTOM_EVENT_TAGS.click, payload: { x: 1, y: 1, viewportWidth: 800, viewportHeight: 1, documentWidth: 1, documentHeight: 1, selector: '#a', offsetX: 0, offsetY: 0, fixed: false } } }) as eventWithTime;

describe('page hooks of the analysis pass', () => {
  it('are called with each judged page, its flags and its signals; one that throws loses its own writes only', async () => {
    expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ events: [...sampleEvents(T0), click(T0 + 50)] })))).status).toBe(200);
    const seen: string[] = [];
    const recorder: PageHook = {
      name: 'recorder',
      afterJudgement: async (page, judgement, signals) => void seen.push(`${page.siteId}/${page.sessionId}/${page.pageId}/${page.url} ${judgement.flags.map((f) => f.type)} ${signals.map((s) => s.k)}`),
    };
    const broken: PageHook = {
      name: 'broken',
      async afterJudgement() {
        t.db.prepare(`UPDATE sites SET name = 'changed'`).run();
        throw new Error('bug');
      },
    };
    const logged: string[] = [];
    await createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: 60_000, detectors: [{ type: 'dead_click', detect: everyClickDead }], pageHooks: [broken, recorder], log: (message) => logged.push(message) }).run();
    expect(seen).toEqual([`${t.site.id}/session-0001/page-0001/https://shop.example/ dead_click snapshot,click`]);
    expect(logged).toEqual(['page hook broken failed on page page-0001 of session session-0001:']);
    expect(t.repos.sites.findById(t.site.id)!.name).toBe('Shop');
    expect(t.repos.friction.listBySession('session-0001')).toHaveLength(1);
  });
});
