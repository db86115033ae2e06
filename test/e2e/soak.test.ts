// A short soak: 50 simulated recorders for 30 s against the real server and its analysis process, with a backup taken under the load; counts only (npm run bench:soak runs the long one and reports memory).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedSite } from '../../server/src/api-types';
import { databasePath } from '../../server/src/db/open-database';
import { analysisState, auditDelivery } from '../support/delivery-audit';
import { seededRandom } from '../support/seeded-random';
import { startFleet } from '../support/simulated-recorders';
import { startFrictionlens, waitFor, type RunningFrictionlens } from '../support/start-frictionlens';

const RECORDERS = 50;
const LOAD_MS = 30_000;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let frictionlens: RunningFrictionlens;
let backupDir: string;
beforeAll(async () => {
  // Behind a proxy every recorder has its own address, as real visitors do.
  frictionlens = await startFrictionlens({ TRUST_PROXY: 'on' });
  backupDir = mkdtempSync(join(tmpdir(), 'frictionlens-backup-'));
});
afterAll(async () => {
  await frictionlens?.stop();
  if (backupDir) rmSync(backupDir, { recursive: true, force: true });
});

/** `npm run backup -- PATH` against the running server's data directory. */
async function runBackup(path: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'backup', '--', path], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: frictionlens.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/** What must hold in any consistent copy: every batch with its session and page, every session's totals matching its batches. */
function checkConsistent(path: string): { integrity: string; batches: number; orphans: number; countMismatches: number } {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => copy.prepare(sql).pluck().get() as number;
    return {
      integrity: copy.pragma('integrity_check', { simple: true }) as string,
      batches: count('SELECT count(*) FROM chunks'),
      orphans:
        count('SELECT count(*) FROM chunks c LEFT JOIN pages p USING (session_id, page_id) WHERE p.session_id IS NULL') +
        count('SELECT count(*) FROM analysis_queue q LEFT JOIN chunks c USING (session_id, seq) WHERE c.session_id IS NULL'),
      countMismatches: count(
        'SELECT count(*) FROM sessions s WHERE event_count != (SELECT coalesce(sum(event_count), 0) FROM chunks c WHERE c.session_id = s.id)',
      ),
    };
  } finally {
    copy.close();
  }
}

describe(`${RECORDERS} recorders for ${LOAD_MS / 1000} s at the recorder's rhythm`, () => {
  it('every acknowledged batch is stored exactly once, no session is missing, the analysis queue drains; a backup taken meanwhile is consistent', async () => {
    const site = await frictionlens.api<CreatedSite>('/api/sites', { method: 'POST', body: JSON.stringify({ name: 'Soak', origins: ['https://shop.example'] }) });
    const fleet = startFleet({
      origin: frictionlens.origin,
      key: site.key,
      recorders: RECORDERS,
      random: seededRandom(11),
      sessionPrefix: `soak-${Date.now().toString(36)}`,
      forwardedFor: (index) => `10.1.${index >> 8}.${index & 255}`,
    });
    const loadEnds = new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    try {
      // The backup runs in the middle of the load.
      await waitFor(async () => fleet.stats().acked, (acked) => acked >= RECORDERS * 2, LOAD_MS);
      const ackedBefore = fleet.stats().acked;
      const copyPath = join(backupDir, 'copy.db');
      const backup = await runBackup(copyPath);
      expect(backup.code, backup.output).toBe(0);
      expect(backup.output).toMatch(/integrity ok/);
      expect(statSync(copyPath).mode & 0o777).toBe(0o600);
      const copy = checkConsistent(copyPath);
      expect(copy).toMatchObject({ integrity: 'ok', orphans: 0, countMismatches: 0 });
      expect(copy.batches).toBeGreaterThanOrEqual(ackedBefore);

      await loadEnds;
      await fleet.drained();
    } finally {
      fleet.close();
    }

    const stats = fleet.stats();
    expect(stats.dropped).toEqual({});
    expect(stats.acked).toBe(stats.made);
    // Each recorder made a batch every 5 s for about 30 s.
    expect(stats.made).toBeGreaterThanOrEqual(RECORDERS * 5);
    const audit = auditDelivery(databasePath(frictionlens.dataDir), fleet.recorders);
    expect(audit).toEqual({
      sessionsExpected: RECORDERS,
      sessionsMissing: [],
      acked: stats.acked,
      ackedMissing: 0,
      storedUnacked: 0,
      countMismatches: [],
      chunks: stats.acked,
    });
    const analysed = await waitFor(
      async () => analysisState(databasePath(frictionlens.dataDir)),
      (state) => state.queued === 0,
      60_000,
    );
    expect(analysed.analysed).toBe(analysed.chunks);
    expect(frictionlens.output()).not.toMatch(/failed|Error/);
  }, 150_000);
});
