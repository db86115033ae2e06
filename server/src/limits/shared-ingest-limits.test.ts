import { describe, expect, it } from 'vitest';
import { useMigratedPostgres } from '../../../test/support/migrated-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createLimitTakesRepo } from '../repos/postgres/pg-limit-takes-repo';
import { HOUR_MS } from './session-admissions';
import { createSharedIngestLimits, type LimitTakesStore, type StoredLimitTake } from './shared-ingest-limits';

/** 2 requests a second with a 5-second burst: 10 at once. */
const CONFIG = { sitePerSecond: 2, addressPerSecond: 1, sessionsPerSiteHour: 3 };
/** Mid-hour, so no test crosses an hour by accident. */
const T = 490_000 * HOUR_MS + 10 * 60_000;

const takeAll = (take: () => number, times: number) => Array.from({ length: times }, take);

describe.skipIf(skipWithoutPostgres())('shared ingest limits on PostgreSQL', () => {
  const postgres = useMigratedPostgres();
  let test = 0;

  /** Two nodes on the one database, with ids of their own per test so tests do not see each other's rows. */
  function twoNodes() {
    test += 1;
    const store = createLimitTakesRepo(postgres.pool());
    const make = (name: string) => createSharedIngestLimits({ config: CONFIG, store, nodeId: `${name}-${test}` });
    return { a: make('a'), b: make('b') };
  }

  it('counts what one node let through against the other, as one bucket per site and per address', async () => {
    const { a, b } = twoNodes();
    const site = `site-${test}`;
    expect(takeAll(() => a.limits.takeSite(site, T), 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(takeAll(() => a.limits.takeAddress('203.0.113.7', T), 5)).toEqual([0, 0, 0, 0, 0]);
    // Before trading, B still has its whole burst; after, only what A left.
    await a.sync(T);
    await b.sync(T + 10);
    expect(takeAll(() => b.limits.takeSite(site, T + 10), 4).map((wait) => wait > 0)).toEqual([false, false, false, true]);
    expect(b.limits.takeAddress('203.0.113.7', T + 10)).toBeGreaterThan(0);
    expect(b.limits.takeAddress('198.51.100.1', T + 10)).toBe(0);
    // A hears of B's three in turn, and its bucket is empty too.
    await b.sync(T + 20);
    await a.sync(T + 30);
    expect(a.limits.takeSite(site, T + 30)).toBeGreaterThan(0);
  });

  it('reads each row once, although the read windows overlap', async () => {
    const { a, b } = twoNodes();
    const site = `site-${test}`;
    takeAll(() => a.limits.takeSite(site, T), 4);
    await a.sync(T);
    // Three exchanges within the overlap all return A's row; B must count it once: 10 - 4 = 6 left.
    for (const at of [T + 10, T + 20, T + 30]) await b.sync(at);
    expect(takeAll(() => b.limits.takeSite(site, T + 30), 7).filter((wait) => wait === 0)).toHaveLength(6);
  });

  it('shares the hourly cap on new sessions, and a node that starts mid-hour hears of the hour so far', async () => {
    const { a, b } = twoNodes();
    const site = `site-${test}`;
    expect(a.limits.admitSession(site, 's1', T)).toBe(0);
    expect(a.limits.admitSession(site, 's2', T)).toBe(0);
    // The same session asked again is not a new admission for anyone.
    expect(a.limits.admitSession(site, 's2', T)).toBe(0);
    await a.sync(T);
    // B's first exchange is half an hour later: it reads back to the hour's start, not just the last seconds.
    await b.sync(T + 30 * 60_000);
    expect(b.limits.admitSession(site, 's3', T + 30 * 60_000)).toBe(0);
    expect(b.limits.admitSession(site, 's4', T + 30 * 60_000)).toBeGreaterThan(0);
  });

  it('reads no further back than a bucket takes to refill, and prunes rows no node needs', async () => {
    const { a, b } = twoNodes();
    const site = `site-${test}`;
    takeAll(() => a.limits.takeSite(site, T), 10);
    a.limits.admitSession(site, 's1', T);
    await a.sync(T);
    // Ten seconds on, the other node's first read would still see the row, but the bucket has refilled.
    await b.sync(T + 10_000);
    expect(takeAll(() => b.limits.takeSite(site, T + 10_000), 10).every((wait) => wait === 0)).toBe(true);
    await createLimitTakesRepo(postgres.pool()).prune(T + 1, T - HOUR_MS);
    // The site's row goes; the session count stays for the rest of the hour.
    const { rows } = await postgres.pool().query<{ scope: string }>('SELECT scope FROM ingest_limit_takes WHERE node_id = $1', [`a-${test}`]);
    expect(rows.map((row) => row.scope)).toEqual(['session']);
  });
});

describe('shared ingest limits when the database cannot be reached', () => {
  it('limits from local counts, logs once, and sends the takes it could not store when the database is back', async () => {
    const sent: number[] = [];
    let down = true;
    const store: LimitTakesStore = {
      async exchange({ takes }) {
        if (down) throw new Error('connection refused');
        sent.push(takes.reduce((sum, take) => sum + take.taken, 0));
        return [] as StoredLimitTake[];
      },
      async prune() {},
    };
    const logged: string[] = [];
    const node = createSharedIngestLimits({ config: CONFIG, store, nodeId: 'alone', logError: (message) => logged.push(message) });
    takeAll(() => node.limits.takeSite('site', T), 3);
    await node.sync(T);
    node.limits.takeSite('site', T + 1);
    await node.sync(T + 1000);
    expect(logged).toHaveLength(1);
    // Local limiting went on throughout: 10 in the burst, 4 taken, 6 left.
    expect(takeAll(() => node.limits.takeSite('site', T + 1), 7).filter((wait) => wait === 0)).toHaveLength(6);
    down = false;
    await node.sync(T + 2000);
    expect(sent).toEqual([4 + 6]);
  });
});
