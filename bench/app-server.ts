// Bench child: the real frictionlens app (createApp) on a temp DATA_DIR, driven by bench/ingest.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../server/src/app';
import { openDatabase } from '../server/src/db/open-database';
import { createRepos } from '../server/src/repos/create-repos';
import { answerBench } from './child-control';

const dataDir = mkdtempSync(join(tmpdir(), 'frictionlens-bench-'));
const db = openDatabase(dataDir);
const repos = createRepos(db);
const site = repos.sites.create({ name: 'bench', origins: ['self'] });
const app = createApp({ db, repos, adminToken: 'bench-admin-token-0123456789' });

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  answerBench({ port: info.port, key: site.key }, () => {
    const chunks = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
    server.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    return { chunks };
  });
});
