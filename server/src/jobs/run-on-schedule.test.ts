import { describe, expect, it } from 'vitest';
import { useMigratedPostgres } from '../../../test/support/migrated-postgres';
import { skipWithoutPostgres } from '../../../test/support/start-postgres';
import { createPgJobScheduleRepo } from '../repos/postgres/pg-job-schedule-repo';
import { createJobRunner, startJobTimer, type JobRunner, type ScheduledJob } from './run-on-schedule';

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 30, 12);

describe.skipIf(skipWithoutPostgres())('createJobRunner on PostgreSQL', () => {
  const postgres = useMigratedPostgres();

  /** A job that counts its runs, under a name of its own per test. */
  function countingJob(name: string, runs: string[], node: string, extra: Partial<ScheduledJob> = {}): ScheduledJob {
    return { name, intervalMs: 10 * MINUTE, leaseMs: 5 * MINUTE, run: async () => void runs.push(node), ...extra };
  }

  it('runs a job once per interval however many nodes ask at once', async () => {
    const runs: string[] = [];
    const store = createPgJobScheduleRepo(postgres.pool());
    const nodes = ['a', 'b', 'c', 'd'].map((node) => createJobRunner(store, node, [countingJob('retention', runs, node)]));
    const tickAll = (now: number) => Promise.all(nodes.map((node) => node.tick(now)));
    await tickAll(T);
    expect(runs).toHaveLength(1);
    await tickAll(T + MINUTE);
    await tickAll(T + 9 * MINUTE);
    expect(runs).toHaveLength(1);
    await tickAll(T + 10 * MINUTE);
    await tickAll(T + 10 * MINUTE + 1);
    expect(runs).toHaveLength(2);
  });

  it('does not start a run beside one in progress, and a node that died mid-run holds the job only for its lease', async () => {
    const runs: string[] = [];
    const store = createPgJobScheduleRepo(postgres.pool());
    // Node a claims and never finishes (it was killed): its claim is a row with a running lease.
    expect(await store.claim('partitions', 'a', T, MINUTE, 30 * MINUTE)).toBe(true);
    const b = createJobRunner(store, 'b', [countingJob('partitions', runs, 'b', { intervalMs: MINUTE, leaseMs: 30 * MINUTE })]);
    expect(await b.tick(T + 2 * MINUTE)).toEqual([]);
    expect(await b.tick(T + 30 * MINUTE)).toEqual(['partitions']);
    expect(runs).toEqual(['b']);
  });

  it('logs a run that throws, ends its claim, and runs it again on schedule', async () => {
    const logged: string[] = [];
    let calls = 0;
    const failing: ScheduledJob = {
      name: 'flaky',
      intervalMs: MINUTE,
      leaseMs: 30 * MINUTE,
      run: async () => {
        calls += 1;
        throw new Error('disk full');
      },
    };
    const runner = createJobRunner(createPgJobScheduleRepo(postgres.pool()), 'a', [failing], (message) => logged.push(message));
    expect(await runner.tick(T)).toEqual(['flaky']);
    expect(logged).toEqual(['frictionlens: scheduled job flaky failed:']);
    // The lease (30 min) was ended by the failure, so the next minute's run starts.
    expect(await runner.tick(T + MINUTE)).toEqual(['flaky']);
    expect(calls).toBe(2);
  });
});

describe('startJobTimer', () => {
  it('asks at once when started, one tick at a time, and stop waits for the run in hand', async () => {
    let release!: () => void;
    let ticks = 0;
    let finished = false;
    const runner: JobRunner = {
      tick: () => {
        ticks += 1;
        return new Promise<string[]>((resolve) => {
          release = () => ((finished = true), resolve(['job']));
        });
      },
    };
    const timer = startJobTimer(runner, 5);
    timer.start();
    expect(ticks).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Its interval passed several times while the first tick ran: no second one started beside it.
    expect(ticks).toBe(1);
    const stopped = timer.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
  });
});
