// Starts the real frictionlens server (server/src/main.ts) as a child process on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningFrictionlens {
  origin: string;
  dataDir: string;
  adminToken: string;
  /** Everything the process printed, for assertions and for failure messages. */
  output(): string;
  /** Authorized JSON request against the query API. */
  api<T>(path: string, init?: RequestInit): Promise<T>;
  /**
   * Ends the process (SIGTERM, or SIGKILL for a crash) but keeps the data directory, as a deploy or a
   * crash would; resolves with how it exited.
   */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The server process's id while it runs. */
  pid(): number | undefined;
  /** Starts the server again on the same port and data directory. */
  relaunch(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** env.PORT and env.DATA_DIR pick the port and data directory; a free port and a temporary directory otherwise. */
export async function startFrictionlens(env: Record<string, string> = {}): Promise<RunningFrictionlens> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'frictionlens-e2e-'));
  const adminToken = env.ADMIN_TOKEN ?? 'e2e-admin-token-0123456789';
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess;

  async function launch(): Promise<void> {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, HOST: '127.0.0.1', ADMIN_TOKEN: adminToken, ...env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
      try {
        if ((await fetch(`${origin}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not start in 30 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
    );
    child.kill(signal);
    return exited;
  }

  await launch();

  return {
    origin,
    dataDir,
    adminToken,
    output: () => output,
    async api<T>(path: string, init: RequestInit = {}): Promise<T> {
      const response = await fetch(origin + path, {
        ...init,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
      });
      if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    kill,
    pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    relaunch: launch,
    async stop() {
      await kill();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `read` every `pollMs` until `done` accepts its value, or fails with the last value after `timeoutMs`.
 * The default deadline is long: a test waits on the event itself, and a CI machine running the whole
 * suite can stall a browser or a server for seconds; a condition that never comes fails all the same.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000, pollMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
