// Starts a throwaway PostgreSQL cluster for tests (initdb and pg_ctl on a temporary directory and a free port).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/** The oldest major version the PostgreSQL backend supports (issue 14). */
export const POSTGRES_MIN_MAJOR = 15;
/** Where Debian's postgresql package puts each major version's server binaries. */
const DEBIAN_POSTGRES_DIR = '/usr/lib/postgresql';
/** The server refuses to run as root; Debian's package creates this user. */
const POSTGRES_OS_USER = 'postgres';
/** Trust on localhost only (listen_addresses below); no locale, so no collation differs between machines. */
const INITDB_ARGS = ['-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'];
/** Ports pg_ctl may find taken between our probe and the server's bind: try a few. */
const START_ATTEMPTS = 3;
/**
 * A test cluster holds nothing worth keeping: no fsync, no full-page writes, small WAL and buffers.
 * max_connections leaves room for a pool per test database and the concurrent-migration tests.
 */
const SERVER_SETTINGS = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'wal_level=minimal',
  'max_wal_senders=0',
  'shared_buffers=16MB',
  'max_connections=40',
  'listen_addresses=127.0.0.1',
];

/**
 * For benches: the durability a production server would run with, comparable to the SQLite
 * server's WAL with synchronous=NORMAL (a crash may lose the last commits, never corrupts):
 * fsync and full-page writes on, commits not waiting for their WAL flush. Buffers sized for a
 * small dedicated server rather than a throwaway test.
 */
const DURABLE_SETTINGS = [
  'synchronous_commit=off',
  'shared_buffers=256MB',
  'max_wal_size=2GB',
  'max_connections=60',
  'listen_addresses=127.0.0.1',
];

export interface StartPostgresOptions {
  /** Production-like durability (DURABLE_SETTINGS) instead of the throwaway test settings. */
  durable?: boolean;
  /** Overrides the settings' max_connections: the run's shared cluster serves every worker's pools at once. */
  maxConnections?: number;
}

export const POSTGRES_SKIP_MESSAGE =
  'PostgreSQL tests skipped: no initdb/pg_ctl of PostgreSQL 15 or later found (looked in POSTGRES_BIN_DIR, ' +
  `${DEBIAN_POSTGRES_DIR}/*/bin and PATH). To run them, install Debian's postgresql (apt-get install postgresql) ` +
  'or set POSTGRES_BIN_DIR to a directory holding initdb and pg_ctl.';

export interface PostgresServer {
  /** The cluster's maintenance database (postgres), as superuser postgres over TCP. */
  url: string;
  /** A new empty database in this cluster; its URL. Cheap (a copy of template0), so one per test is fine. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server at once (nothing to flush) and removes its directory. */
  stop(): Promise<void>;
}

function majorVersion(binDir: string): number | null {
  const result = spawnSync(join(binDir, 'pg_ctl'), ['--version'], { encoding: 'utf8' });
  const match = /(\d+)(?:\.\d+)?/.exec(result.stdout ?? '');
  return result.status === 0 && match ? Number(match[1]) : null;
}

function hasServerBinaries(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
}

/**
 * POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/N/bin with N ≥ 15 (Debian keeps initdb
 * off PATH), else the directory on PATH that holds initdb. Null when none is new enough.
 */
export function findPostgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  const candidates: string[] = fromEnv ? [fromEnv] : [];
  if (existsSync(DEBIAN_POSTGRES_DIR)) {
    const versions = readdirSync(DEBIAN_POSTGRES_DIR)
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => b - a);
    candidates.push(...versions.map((version) => join(DEBIAN_POSTGRES_DIR, String(version), 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  for (const dir of candidates) {
    if (!hasServerBinaries(dir)) continue;
    const major = majorVersion(dir);
    if (major !== null && major >= POSTGRES_MIN_MAJOR) return dir;
  }
  return null;
}

function postgresUserIds(): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${POSTGRES_OS_USER}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** Binaries are found, and when we are root there is a user the server may run as. */
export function postgresAvailable(): boolean {
  if (findPostgresBinDir() === null) return false;
  return !runningAsRoot() || postgresUserIds() !== null;
}

/**
 * For `describe.skipIf(skipWithoutPostgres())(…)`: true, after printing why and how to enable
 * the tests, when no usable PostgreSQL is installed.
 */
export function skipWithoutPostgres(): boolean {
  if (postgresAvailable()) return false;
  console.warn(POSTGRES_SKIP_MESSAGE);
  return true;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. Throws with its output on failure. */
function runPostgresTool(binDir: string, tool: string, args: string[]): void {
  const command = runningAsRoot() ? 'runuser' : join(binDir, tool);
  const fullArgs = runningAsRoot() ? ['-u', POSTGRES_OS_USER, '--', join(binDir, tool), ...args] : args;
  const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout || result.error}`);
  }
}

/**
 * initdb's output for these binaries and options, made once per machine and copied for each
 * cluster: initdb is most of a cluster's start (7 s on this 2-core machine under load), a copy of
 * its 39 MB about a second. Made in a staging directory and renamed into place, so a concurrent
 * test file either finds the whole directory or makes its own and loses the rename.
 */
function initializedDataDir(binDir: string): string {
  const key = createHash('sha256').update([binDir, majorVersion(binDir), ...INITDB_ARGS].join('\0')).digest('hex').slice(0, 12);
  const cached = join(tmpdir(), `fl-postgres-initdb-${process.getuid?.() ?? 'user'}-${key}`);
  if (existsSync(join(cached, 'PG_VERSION'))) return cached;
  const staging = mkdtempSync(join(tmpdir(), 'fl-postgres-staging-'));
  try {
    if (runningAsRoot()) {
      const ids = postgresUserIds();
      if (!ids) throw new Error(`Running as root and there is no ${POSTGRES_OS_USER} user to run PostgreSQL as`);
      chownSync(staging, ids.uid, ids.gid);
    }
    runPostgresTool(binDir, 'initdb', ['-D', join(staging, 'data'), ...INITDB_ARGS]);
    try {
      renameSync(join(staging, 'data'), cached);
    } catch (err) {
      if (!existsSync(join(cached, 'PG_VERSION'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return cached;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Identifiers we generate ourselves; anything else is refused rather than quoted. */
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function startPostgres({ durable = false, maxConnections }: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  if (binDir === null) throw new Error(POSTGRES_SKIP_MESSAGE);
  const dir = mkdtempSync(join(tmpdir(), 'fl-postgres-'));
  const dataDir = join(dir, 'data');
  // Inside the temp dir, so parallel clusters never share a socket or its lock file.
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  if (runningAsRoot()) {
    const ids = postgresUserIds();
    if (!ids) throw new Error(`Running as root and there is no ${POSTGRES_OS_USER} user to run PostgreSQL as`);
    chownSync(dir, ids.uid, ids.gid);
    chownSync(socketDir, ids.uid, ids.gid);
  }
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      try {
        runPostgresTool(binDir, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      } catch {
        // Already gone; the directory is removed below either way.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test file that dies without its afterAll still takes its cluster down with it.
  process.once('exit', stopNow);

  try {
    // cp -a keeps the mode (0700) and owner the server insists on.
    const copy = spawnSync('cp', ['-a', initializedDataDir(binDir), dataDir], { encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`Copying the initialized data directory failed: ${copy.stderr}`);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = (durable ? DURABLE_SETTINGS : SERVER_SETTINGS).filter((setting) => maxConnections === undefined || !setting.startsWith('max_connections='));
      if (maxConnections !== undefined) settings.push(`max_connections=${maxConnections}`);
      const options = [`-p ${port}`, `-k ${socketDir}`, ...settings.map((setting) => `-c ${setting}`)].join(' ');
      try {
        runPostgresTool(binDir, 'pg_ctl', ['start', '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-o', options]);
        break;
      } catch (err) {
        if (attempt >= START_ATTEMPTS) {
          const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
          throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
        }
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let databases = 0;
    return {
      url,
      async createDatabase(name = `test_${process.pid}_${++databases}`) {
        if (!DATABASE_NAME.test(name)) throw new Error(`Not a database name we create: ${name}`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          // template0: nothing a test put in template1 leaks into the next database.
          await client.query(`CREATE DATABASE ${name} TEMPLATE template0`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        process.removeListener('exit', stopNow);
        stopNow();
      },
    };
  } catch (err) {
    process.removeListener('exit', stopNow);
    stopNow();
    throw err;
  }
}
