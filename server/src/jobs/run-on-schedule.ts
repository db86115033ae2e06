// Runs a job once per schedule across every node on one database: each node asks when the job may be due, one claims the run.

export interface JobScheduleStore {
  /** Claims this run of `name` when it is due and not running; true for the one node that got it. */
  claim(name: string, nodeId: string, now: number, intervalMs: number, leaseMs: number): Promise<boolean>;
  /** Ends this node's claim, so the next run need not wait out the lease. */
  finish(name: string, nodeId: string, now: number): Promise<void>;
}

export interface ScheduledJob {
  name: string;
  /** From one run's start to the next's. */
  intervalMs: number;
  /** Longer than a run can take: a node that dies mid-run keeps the job from starting elsewhere this long. */
  leaseMs: number;
  run(): Promise<void>;
}

export interface JobRunner {
  /** Asks whether any job is due and runs those this node claimed; returns their names. Never throws. */
  tick(now?: number): Promise<string[]>;
}

/**
 * Each node calls tick() on its own timer, as often as it likes: claims are decided by the
 * database, so a job runs once per interval however many nodes ask, and a clock a little off
 * on one node only moves which node runs it. A run that throws is logged; the next runs on
 * schedule.
 */
export function createJobRunner(
  store: JobScheduleStore,
  nodeId: string,
  jobs: ScheduledJob[],
  log: (message: string, error?: unknown) => void = console.error,
): JobRunner {
  return {
    async tick(now = Date.now()) {
      const ran: string[] = [];
      for (const job of jobs) {
        try {
          if (!(await store.claim(job.name, nodeId, now, job.intervalMs, job.leaseMs))) continue;
          ran.push(job.name);
          try {
            await job.run();
          } finally {
            await store.finish(job.name, nodeId, Date.now());
          }
        } catch (error) {
          log(`frictionlens: scheduled job ${job.name} failed:`, error);
        }
      }
      return ran;
    },
  };
}

/** How often a node asks whether a job is due: a job runs at most this late. */
export const JOB_TICK_MS = 60_000;

export interface JobTimer {
  start(): void;
  /** Stops asking, and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/** Asks at once, then every JOB_TICK_MS; one tick at a time. */
export function startJobTimer(runner: JobRunner, everyMs = JOB_TICK_MS): JobTimer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= runner.tick().finally(() => (running = undefined));
  };
  return {
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
