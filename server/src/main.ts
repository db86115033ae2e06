// Entry point: reads the config, opens the database, and serves the app until SIGINT or SIGTERM.
import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { startAnalysisProcess, type AnalysisProcess } from './analysis/start-analysis-process';
import { createApp } from './app';
import { resolveAdminToken } from './auth/admin-token';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/open-database';
import { ensureDemoSite } from './demo-site';
import { createRepos } from './repos/create-repos';

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
mkdirSync(config.dataDir, { recursive: true });
const db = openDatabase(config.dataDir);
const repos = createRepos(db);
const { token: adminToken } = resolveAdminToken({ envToken: config.adminToken, dataDir: config.dataDir, port: config.port });
ensureDemoSite(repos.sites);

const app = createApp({ db, repos, adminToken });
let analysis: AnalysisProcess | undefined;
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
  const base = `http://localhost:${config.port}`;
  // Started once listening: a server that cannot take its port has nothing to analyse.
  analysis = startAnalysisProcess();
  console.log(`frictionlens listening on ${config.host}:${config.port}: viewer ${base}/  demo ${base}/demo/  data ${config.dataDir}`);
});

server.on('error', (err: NodeJS.ErrnoException) => {
  const reason = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT to another)` : err.message;
  console.error(`frictionlens: cannot listen on ${config.host}:${config.port}: ${reason}`);
  db.close();
  process.exit(1);
});

let closing = false;
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  console.log(`frictionlens: ${signal} received, shutting down`);
  // Keep-alive connections would hold close() open; recorders retry, so dropping them is safe.
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A stuck request must not keep the process alive forever.
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  void Promise.all([Promise.race([closed, timeout]), analysis?.stop()]).then(() => {
    db.close();
    process.exit(0);
  });
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
