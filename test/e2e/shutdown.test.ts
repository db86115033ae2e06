// The real server on SIGTERM: stops accepting, finishes requests in flight and the analysis pass in hand, closes the database, exits 0; and the permissions of what it creates.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBodies, loadRecording, sliceRecording } from '../../bench/recording-batches';
import { databasePath } from '../../server/src/db/open-database';
import { analysisState } from '../support/delivery-audit';
import { analysisPidOf, processesHolding } from '../support/process-tree';
import { CHECKOUT_RECORDING } from '../support/simulated-recorders';
import { startFrictionlens, waitFor } from '../support/start-frictionlens';

/** Five analysis passes' worth: the analysis process is still working through them when SIGTERM comes. */
const BACKLOG = 1000;

const parent = mkdtempSync(join(tmpdir(), 'frictionlens-shutdown-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

/** The demo site's key, read from the database: the admin token is the generated one here. */
function demoKey(dataDir: string): string {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    return db.prepare("SELECT key FROM sites WHERE name = 'demo'").pluck().get() as string;
  } finally {
    db.close();
  }
}

/** SIGSTOP, at a moment the process holds no write lock (else ingest would wait on it and answer 503). */
function stopOutsideWrites(pid: number, dbPath: string): void {
  for (;;) {
    process.kill(pid, 'SIGSTOP');
    const probe = new Database(dbPath);
    try {
      probe.pragma('busy_timeout = 0');
      probe.prepare('BEGIN IMMEDIATE').run();
      probe.prepare('ROLLBACK').run();
      return;
    } catch {
      process.kill(pid, 'SIGCONT'); // stopped mid-write: let it finish, then try again
    } finally {
      probe.close();
    }
  }
}

async function post(origin: string, key: string, body: Buffer): Promise<number> {
  const res = await fetch(`${origin}/api/ingest?key=${key}&enc=gzip`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'text/plain' } });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves with the raw HTTP response once the server has answered and the status line is in. */
function responseOf(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

describe('the server on SIGTERM', () => {
  it('refuses new connections, answers the request in flight, lets analysis finish its pass, closes the database and exits 0', async () => {
    // A data directory the server creates itself, and a generated admin token.
    const dataDir = join(parent, 'data');
    // The backlog comes from one address faster than a visitor's recorder posts.
    const frictionlens = await startFrictionlens({ DATA_DIR: dataDir, ADMIN_TOKEN: '', INGEST_RATE_PER_ADDRESS: '100000' });
    const dbPath = databasePath(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, join(dataDir, 'admin-token')]) expect([file, mode(file)]).toEqual([file, 0o600]);

    const key = demoKey(dataDir);
    // The analysis process is held still while the backlog comes in, however fast this machine is.
    const analysisPid = await waitFor(async () => analysisPidOf(frictionlens.pid()!), (pid) => pid !== undefined);
    expect(analysisPid).toBeDefined();
    stopOutsideWrites(analysisPid!, dbPath);
    const [inFlight, ...backlog] = buildBodies(sliceRecording(loadRecording(CHECKOUT_RECORDING)), BACKLOG + 1, `term${Date.now().toString(36)}`);
    for (let i = 0; i < backlog.length; i += 100) {
      const statuses = await Promise.all(backlog.slice(i, i + 100).map((body) => post(frictionlens.origin, key, body)));
      expect(statuses).toEqual(statuses.map(() => 200));
    }

    // A request in flight: headers and half its body sent, the rest to come after SIGTERM.
    const url = new URL(frictionlens.origin);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const answered = responseOf(socket);
    const half = Math.floor(inFlight!.length / 2);
    socket.write(`POST /api/ingest?key=${key}&enc=gzip HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/plain\r\nContent-Length: ${inFlight!.length}\r\n\r\n`);
    socket.write(inFlight!.subarray(0, half));
    // Answered after the bytes above were sent, so the server has read them.
    expect((await fetch(`${frictionlens.origin}/api/health`)).status).toBe(200);
    const queued = analysisState(dbPath).queued;
    expect(queued).toBe(BACKLOG);
    process.kill(analysisPid!, 'SIGCONT');
    // SIGTERM comes once analysis is under way, with passes still to go.
    const before = await waitFor(async () => analysisState(dbPath), (state) => state.queued < queued, 30_000);
    expect(before.queued).toBeGreaterThan(0);

    const exited = frictionlens.kill('SIGTERM');
    await waitFor(
      () => fetch(`${frictionlens.origin}/api/health`).then(() => 'accepted', (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? 'failed'),
      (outcome) => outcome === 'ECONNREFUSED',
      10_000,
    );
    socket.write(inFlight!.subarray(half));
    const response = await answered;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('{"stored":true,"duplicate":false}');
    expect(await exited).toEqual({ code: 0, signal: null });
    socket.destroy();

    // Nothing cut off, nothing left open: the last connection checkpointed the WAL and removed it.
    expect(frictionlens.output()).toContain('frictionlens: stopped');
    expect(frictionlens.output()).not.toContain('still open');
    expect(processesHolding(dbPath)).toEqual([]);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const after = analysisState(dbPath);
    // The pass in hand was finished: no row is left claimed, and every batch is analysed or queued.
    expect(after.claimed).toBe(0);
    expect(after.chunks).toBe(BACKLOG + 1);
    expect(after.analysed + after.queued).toBe(after.chunks);
    expect(after.analysed).toBeGreaterThanOrEqual(before.analysed);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);
});
