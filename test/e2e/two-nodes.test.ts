// Two server processes on one PostgreSQL behind a round-robin proxy, recorded in Chromium: every batch stored once whichever node took it, the session the same from either node, and nothing acknowledged lost when one node is killed mid-load.
import { fileURLToPath } from 'node:url';
import type { eventWithTime } from '@rrweb/types';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS } from '../../server/src/analysis/analysis-pass';
import type { CreatedSite, HeatmapData } from '../../server/src/api-types';
import { launchChromium } from '../support/launch-chromium';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { seededRandom } from '../support/seeded-random';
import { startFleet, type SimulatedRecorder } from '../support/simulated-recorders';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';
import { sharedPostgres, type SharedPostgres } from '../support/shared-postgres';
import { skipWithoutPostgres } from '../support/start-postgres';
import { startStaticServer, type StaticServer } from '../support/static-server';

const fixturePagesDir = fileURLToPath(new URL('../fixtures/pages/', import.meta.url));
/** Batches the simulated recorders have had acknowledged before the kill: the load is well under way. */
const ACKED_BEFORE_KILL = 80;
/** And after it, all through the surviving node. */
const ACKED_AFTER_KILL = 80;
/** Recorders with a post held by the node about to be killed. */
const HELD_AT_KILL = 2;
/** The analysis process runs at a lower priority: on a busy machine it can take a while. */
const ANALYSIS_WAIT_MS = 90_000;
/** Presses of the heatmap page's Buy button, which answers nothing: one rage click. */
const RAGE_CLICKS = 5;
/** Long enough after a burst for it to settle (1 s): one more press would no longer join it. */
const PAST_BURST_MS = 1500;

describe.skipIf(skipWithoutPostgres())('two nodes on one PostgreSQL', () => {
  let postgres: SharedPostgres;
  /** The test's own look at the database the nodes share. */
  let db: pg.Pool;
  let databaseUrl = '';
  let nodes: RunningFrictionlens[] = [];
  let proxy: RoundRobinProxy;
  let site: StaticServer;
  let browser: Browser;
  let siteId = '';
  let siteKey = '';

  /**
   * Each node as the README's scale-out section starts it: the same DATABASE_URL and ADMIN_TOKEN, its
   * own PORT, TRUST_PROXY on behind the balancer (the simulated recorders each send their own address).
   */
  const startNode = () => startFrictionlens({ DATABASE_URL: databaseUrl, TRUST_PROXY: 'on' });

  beforeAll(async () => {
    postgres = await sharedPostgres();
    // Migrated already: the nodes find the schema up to date, as a second node always does.
    databaseUrl = await postgres.migratedDatabase();
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const first = await startNode();
    nodes = [first];
    // The recorder script comes from a node; its batches go to the proxy (data-endpoint).
    site = await startStaticServer(fixturePagesDir, (html) =>
      html.replace('<!--RECORDER-->', `<script src="${first.origin}/recorder.js" data-key="${siteKey}" data-endpoint="${proxy.url}" async></script>`),
    );
    ({ id: siteId, key: siteKey } = await first.api<CreatedSite>('/api/sites', {
      method: 'POST',
      body: JSON.stringify({ name: 'Two nodes', origins: [site.origin] }),
    }));
    // Started after the site exists, so it knows the key from its first request.
    nodes.push(await startNode());
    proxy = await startRoundRobinProxy(nodes.map((node) => ({ host: '127.0.0.1', port: Number(new URL(node.origin).port) })));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await site?.close();
    for (const node of nodes) await node.stop();
    await db?.end();
    await postgres?.stop();
  });

  /** Read from the shared database: (site_id, session_id, seq, …) is the chunks' primary key. */
  async function storedSeqs(sessionId: string): Promise<number[]> {
    const { rows } = await db.query<{ seq: number }>('SELECT seq FROM chunks WHERE site_id = $1 AND session_id = $2 ORDER BY seq', [siteId, sessionId]);
    return rows.map((row) => row.seq);
  }

  interface Tab {
    context: BrowserContext;
    page: Page;
    sessionId: string;
  }

  /** A browser profile of its own with `path` open and recording, its first batch stored. */
  async function openTab(path: string): Promise<Tab> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${site.origin}/${path}`);
    const handle = await page.waitForFunction(() => (window as unknown as { frictionlens?: { getSessionId(): string | null } }).frictionlens?.getSessionId());
    const sessionId = (await handle.jsonValue()) as string;
    await waitFor(() => storedSeqs(sessionId), (seqs) => seqs.length > 0);
    return { context, page, sessionId };
  }

  const items = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Item number ${from + i}`);
  const occurrences = (events: eventWithTime[], text: string) => JSON.stringify(events).split(JSON.stringify(text)).length - 1;
  const queuedInBrowser = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('frictionlens.q.')).length);
  const press = async (tab: Tab, times: number) => {
    for (let i = 0; i < times; i++) await tab.page.click('#add');
  };

  /** Every item exactly once in the session's events as `node` serves them, and its seqs 0..n-1. */
  async function expectDeliveredOnce(node: RunningFrictionlens, tab: Tab, expected: string[]): Promise<void> {
    const events = await waitFor(
      () => node.api<eventWithTime[]>(`/api/sessions/${tab.sessionId}/events`),
      (stored) => expected.every((text) => occurrences(stored, text) > 0),
      60_000,
    );
    expect(expected.map((text) => [text, occurrences(events, text)])).toEqual(expected.map((text) => [text, 1]));
    const seqs = await storedSeqs(tab.sessionId);
    expect(seqs).toEqual(seqs.map((_, i) => i));
  }

  it('a tab whose batches alternate between the nodes: each stored once, and the session, its batches, events, friction and heatmap the same from either node', async () => {
    const [a, b] = nodes as [RunningFrictionlens, RunningFrictionlens];
    const tab = await openTab('delivery.html');
    // Each reload ends a page view (its last batch is sent as the page goes) and starts another.
    await press(tab, 2);
    await tab.page.reload();
    await press(tab, 2);
    await tab.page.reload();
    await press(tab, 2);
    // Same origin, same tab: the same session goes on, on the heatmap page.
    await tab.page.goto(`${site.origin}/heatmap.html`);
    for (let i = 0; i < RAGE_CLICKS; i++) await tab.page.click('#buy', { delay: 20 });
    await tab.page.waitForTimeout(PAST_BURST_MS);
    await tab.page.goto('about:blank');
    await expectDeliveredOnce(a, tab, items(1, 6));

    // Only this tab posted through the proxy, so its posts took turns and both nodes stored some.
    // A post whose answer the leaving page did not see is sent again by the next page and answered
    // as a duplicate: the proxy may count it twice, the database holds it once (seqs above).
    const seqs = await storedSeqs(tab.sessionId);
    expect(seqs.length).toBeGreaterThanOrEqual(4);
    expect(proxy.answered.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(seqs.length);
    expect(Math.abs(proxy.answered[0]! - proxy.answered[1]!)).toBeLessThanOrEqual(1);

    const fromEach = <T>(path: string) => Promise.all([a.api<T>(path), b.api<T>(path)]);
    const [batchesA, batchesB] = await fromEach<{ batches: Array<{ seq: number }> }>(`/api/sessions/${tab.sessionId}/batches`);
    expect(batchesB).toEqual(batchesA);
    expect(batchesA.batches.map((batch) => batch.seq)).toEqual(seqs);
    await expectDeliveredOnce(b, tab, items(1, 6));
    await tab.context.close();

    // Each batch analysed once, by one node's analysis process or the other's.
    await waitFor(async () => (await db.query('SELECT 1 FROM analysis_queue WHERE site_id = $1', [siteId])).rowCount, (left) => left === 0, ANALYSIS_WAIT_MS);
    const { rows: analysed } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM page_signals WHERE site_id = $1 AND session_id = $2', [siteId, tab.sessionId]);
    expect(analysed[0]!.n).toBe(seqs.length);
    type Friction = { friction: Array<{ type: string; selector: string | null }> };
    const friction = await waitFor(
      () => a.api<Friction>(`/api/sessions/${tab.sessionId}/friction`),
      ({ friction }) => friction.some((flag) => flag.type === 'rage_click'),
      ANALYSIS_WAIT_MS,
    );
    expect(friction.friction.filter((flag) => flag.type === 'rage_click')).toEqual([expect.objectContaining({ selector: expect.stringContaining('buy') })]);
    expect(await b.api<Friction>(`/api/sessions/${tab.sessionId}/friction`)).toEqual(friction);
    // Once analysed: read before, a session's friction counts can change between the two reads.
    const [sessionA, sessionB] = await fromEach<{ pageCount: number; eventCount: number }>(`/api/sessions/${tab.sessionId}`);
    expect(sessionB).toEqual(sessionA);
    expect(sessionA.pageCount).toBe(4);
    const heatmapPath = `/api/heatmap?site=${siteId}&url=${encodeURIComponent(`${site.origin}/heatmap.html`)}&device=desktop`;
    const heatmap = await waitFor(() => a.api<HeatmapData>(heatmapPath), (data) => data.total === RAGE_CLICKS, ANALYSIS_WAIT_MS);
    expect(await b.api<HeatmapData>(heatmapPath)).toEqual(heatmap);
  }, 240_000);

  it('SIGKILL to one node mid-load: the proxy routes around it, recorders retry, and every acknowledged batch is stored once and analysed once', async () => {
    const [a, b] = nodes as [RunningFrictionlens, RunningFrictionlens];
    const tabs = [await openTab('delivery.html'), await openTab('delivery.html')];
    // 12 recorders posting four times faster than the recorder's rhythm, each from its own address.
    const fleet = startFleet({
      origin: proxy.url,
      key: siteKey,
      recorders: 12,
      batchIntervalMs: 1250,
      random: seededRandom(14),
      sessionPrefix: `two-nodes-${Date.now().toString(36)}`,
      forwardedFor: (index) => `10.14.0.${index}`,
    });
    let ackedAtKill: Array<Set<number>> = [];
    let answeredByKilled = 0;
    try {
      await waitFor(async () => fleet.stats().acked, (acked) => acked >= ACKED_BEFORE_KILL, 90_000);
      // Pressed just before the kill: still in each tab's buffer, flushed within 5 s.
      for (const tab of tabs) await press(tab, 3);
      // The kill must land while posts are on their way to that node, which answers within
      // milliseconds: frozen first, it holds the posts the proxy hands it (and takes in more), and
      // a recorder with a second batch queued behind its post has one held there.
      process.kill(b.pid()!, 'SIGSTOP');
      await waitFor(async () => fleet.recorders.filter((recorder) => recorder.queue.length >= 2).length, (held) => held >= HELD_AT_KILL, 30_000, 20);
      expect(await b.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      ackedAtKill = fleet.recorders.map((recorder) => new Set(recorder.acked.keys()));
      answeredByKilled = proxy.answered[1]!;
      expect(answeredByKilled).toBeGreaterThan(0);
      for (const tab of tabs) await press(tab, 3);

      const target = fleet.stats().acked + ACKED_AFTER_KILL;
      await waitFor(async () => fleet.stats().acked, (acked) => acked >= target, 90_000);
      await fleet.drained();
    } finally {
      fleet.close();
    }

    // The dead node answered nothing more; everything after went to the one left.
    expect(proxy.answered[1]).toBe(answeredByKilled);
    const stats = fleet.stats();
    expect(stats.dropped).toEqual({});
    // The held posts were cut off by the kill (502 from the proxy) and retried through the other node.
    expect(proxy.failed).toBeGreaterThanOrEqual(HELD_AT_KILL);
    expect(stats.failures[502]).toBeGreaterThanOrEqual(HELD_AT_KILL);
    expect(stats.acked).toBe(stats.made);
    const audit = await auditDelivery(fleet.recorders);
    expect(audit).toEqual({ ackedMissing: [], storedUnacked: [], gaps: [], countMismatches: [] });

    for (const tab of tabs) {
      await expectDeliveredOnce(a, tab, items(1, 6));
      await waitFor(() => queuedInBrowser(tab.page), (queued) => queued === 0);
      await tab.context.close();
    }
    // Every stored batch analysed or skipped once: what the killed node's analysis process held
    // claimed is taken by the other node's once its lease ends.
    const count = async (sql: string) => (await db.query<{ n: number }>(sql, [siteId])).rows[0]!.n;
    await waitFor(() => count('SELECT count(*)::int AS n FROM analysis_queue WHERE site_id = $1'), (left) => left === 0, CLAIM_LEASE_MS + ANALYSIS_WAIT_MS, 1000);
    const analysed = await count(
      'SELECT ((SELECT count(*) FROM page_signals WHERE site_id = $1) + (SELECT count(*) FROM analysis_skipped WHERE site_id = $1))::int AS n',
    );
    expect(analysed).toBe(await count('SELECT count(*)::int AS n FROM chunks WHERE site_id = $1'));
    console.log(
      `two nodes, one killed: ${ackedAtKill.reduce((sum, seqs) => sum + seqs.size, 0)} batches acknowledged before SIGKILL; ` +
        `${stats.made} made, ${stats.acked} acknowledged, ${stats.retried} posts retried (${JSON.stringify(stats.failures)} by status), ` +
        `${stats.duplicates} answered as duplicates, ${proxy.failed} cut off at the proxy; nodes answered ${proxy.answered.join(' and ')}; 0 lost, 0 stored twice; ${analysed} batches analysed once`,
    );
  }, 420_000);

  /** What the simulated recorders were told against what the shared database holds, per session. */
  async function auditDelivery(recorders: readonly SimulatedRecorder[]) {
    const audit = { ackedMissing: [] as string[], storedUnacked: [] as string[], gaps: [] as string[], countMismatches: [] as string[] };
    for (const recorder of recorders) {
      const seqs = await storedSeqs(recorder.sessionId);
      const stored = new Set(seqs);
      for (const seq of recorder.acked.keys()) if (!stored.has(seq)) audit.ackedMissing.push(`${recorder.sessionId}#${seq}`);
      for (const seq of seqs) if (!recorder.acked.has(seq)) audit.storedUnacked.push(`${recorder.sessionId}#${seq}`);
      if (seqs.some((seq, i) => seq !== i)) audit.gaps.push(recorder.sessionId);
      const { rows } = await db.query<{ event_count: number }>('SELECT event_count FROM sessions WHERE site_id = $1 AND id = $2', [siteId, recorder.sessionId]);
      const expected = seqs.reduce((sum, seq) => sum + (recorder.eventsOf.get(seq) ?? NaN), 0);
      if (rows[0]?.event_count !== expected) audit.countMismatches.push(`${recorder.sessionId}: ${rows[0]?.event_count} events, its batches hold ${expected}`);
    }
    return audit;
  }
});
