// Entry point: reads the config, opens the database, and serves the app until SIGINT or SIGTERM.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { serve } from '@hono/node-server';
import { startAnalysisProcess, type AnalysisProcess } from './analysis/start-analysis-process';
import { createApp } from './app';
import { resolveAdminToken } from './auth/admin-token';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/open-database';
import { openPostgres as openPostgresPool } from './db/postgres/open-postgres';
import { openPostgresBackend } from './db/postgres/open-postgres-backend';
import { ensureDemoSite } from './demo-site';
import { startWalCheckpointer } from './ingest/wal-checkpointer';
import { createChunkPartitionsJob } from './jobs/chunk-partitions-job';
import { createJobRunner, startJobTimer } from './jobs/run-on-schedule';
import { createMemoryIngestLimits } from './limits/ingest-limits';
import { createSharedIngestLimits } from './limits/shared-ingest-limits';
import { createRepos } from './repos/create-repos';
import { createPgChunkPartitionsRepo } from './repos/postgres/pg-chunk-partitions-repo';
import { createPgJobScheduleRepo } from './repos/postgres/pg-job-schedule-repo';
import { createLimitTakesRepo } from './repos/postgres/pg-limit-takes-repo';

/** The data directory holds recordings and the admin token: only the server's user may enter it. */
const DATA_DIR_MODE = 0o700;
/** Requests in flight get this long to finish after SIGTERM; recorders retry what is cut off. */
const SHUTDOWN_GRACE_MS = 5000;
/** While shutting down, connections that went idle after their last answer are closed this often. */
const IDLE_SWEEP_MS = 50;
/**
 * Connections a node keeps for its own upkeep on PostgreSQL (trading rate-limit counts every second,
 * scheduled jobs), apart from the requests' pool so a busy node still trades its counts on time.
 */
const UPKEEP_POOL_SIZE = 2;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`frictionlens: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = readConfig();
// The mode applies to directories created here; an existing one is the operator's to set (README).
mkdirSync(config.dataDir, { recursive: true, mode: DATA_DIR_MODE });
const { token: adminToken } = resolveAdminToken({ envToken: config.adminToken, dataDir: config.dataDir, port: config.port });
const appOptions = { adminToken, trustProxy: config.trustProxy, demo: config.demoSite };

/** The database the server runs on, with what runs beside it and how it is closed. */
interface Storage {
  app: ReturnType<typeof createApp>;
  /** Started once listening: a server that cannot take its port has nothing to analyse. */
  startBackground(): void;
  stopBackground(): Promise<unknown>;
  close(): Promise<void>;
  describe: string;
}

function openSqlite(): Storage {
  const db = openDatabase(config.dataDir, { busyTimeoutMs: config.busyTimeoutMs });
  const repos = createRepos(db);
  // One node: its limits are counted in its own memory.
  const limits = createMemoryIngestLimits(config.ingestLimits);
  if (config.demoSite) ensureDemoSite(repos.sites);
  // The WAL is copied into the database file by a worker thread, not in the commits of ingest's requests.
  const checkpointer = startWalCheckpointer(db);
  let analysis: AnalysisProcess | undefined;
  return {
    app: createApp({ db, repos, limits, ...appOptions }),
    startBackground: () => {
      analysis = startAnalysisProcess();
    },
    stopBackground: () => Promise.all([analysis?.stop(), checkpointer.stop()]),
    close: async () => {
      db.close();
    },
    describe: `data ${config.dataDir}`,
  };
}

/**
 * On PostgreSQL the routes, the sign-in and ingest run; every node limits ingest with counts it
 * trades with the others, and takes its turn at the scheduled jobs (the weekly batch partitions).
 * Every node also runs an analysis process (it inherits DATABASE_URL): the passes share one queue,
 * and the jobs beside them (goal recomputation, retention) are claimed in the database.
 */
async function openPostgres(url: string): Promise<Storage> {
  const nodeId = `${hostname()}:${process.pid}`;
  const upkeep = openPostgresPool(url, { max: UPKEEP_POOL_SIZE });
  const shared = createSharedIngestLimits({ config: config.ingestLimits, store: createLimitTakesRepo(upkeep), nodeId });
  const jobs = startJobTimer(createJobRunner(createPgJobScheduleRepo(upkeep), nodeId, [createChunkPartitionsJob(createPgChunkPartitionsRepo(upkeep))]));
  const postgres = await openPostgresBackend(url, { limits: shared.limits, demoSite: config.demoSite }).catch(async (error: unknown) => {
    await upkeep.end();
    throw error;
  });
  const where = new URL(url);
  let analysis: AnalysisProcess | undefined;
  return {
    app: createApp({ postgres: postgres.backend, limits: shared.limits, ...appOptions }),
    // Once listening, and so once the schema is migrated.
    startBackground: () => {
      shared.start();
      jobs.start();
      analysis = startAnalysisProcess();
    },
    stopBackground: () => Promise.all([shared.stop(), jobs.stop(), analysis?.stop()]),
    close: async () => {
      await postgres.close();
      await upkeep.end();
    },
    describe: `PostgreSQL ${where.host}${where.pathname}`,
  };
}

const storage = config.databaseUrl ? await openPostgres(config.databaseUrl) : openSqlite();
const { app } = storage;
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
  const base = `http://localhost:${config.port}`;
  storage.startBackground();
  const demo = config.demoSite ? `demo ${base}/demo/` : 'demo off';
  console.log(`frictionlens listening on ${config.host}:${config.port}: viewer ${base}/  ${demo}  ${storage.describe}`);
});

server.on('error', (err: NodeJS.ErrnoException) => {
  const reason = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT to another)` : err.message;
  console.error(`frictionlens: cannot listen on ${config.host}:${config.port}: ${reason}`);
  void storage.close().finally(() => process.exit(1));
});

let closing = false;
/**
 * Stops listening at once (new connections are refused), lets requests in flight finish (their
 * batches commit before they are answered), lets the analysis child finish the pass in hand, then
 * closes the database, which as the last connection checkpoints the WAL into the database file.
 */
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  console.log(`frictionlens: ${signal} received, shutting down`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A kept-alive connection would hold close() open until its idle timeout, also one that goes
  // idle only after answering its request in flight; recorders reconnect, so closing them is safe.
  const idle = 'closeIdleConnections' in server ? () => server.closeIdleConnections() : () => {};
  idle();
  const sweep = setInterval(idle, IDLE_SWEEP_MS);
  // A stuck request must not keep the process alive forever.
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref());
  const finished = Promise.race([closed.then(() => true), timeout]);
  void Promise.all([finished, storage.stopBackground()]).then(async ([allFinished]) => {
    clearInterval(sweep);
    if (!allFinished) console.warn(`frictionlens: requests still open after ${SHUTDOWN_GRACE_MS} ms are cut off`);
    try {
      await storage.close();
    } catch (error) {
      console.error('frictionlens: closing the database failed:', error);
      process.exit(1);
    }
    console.log('frictionlens: stopped');
    process.exit(0);
  });
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
