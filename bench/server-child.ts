// Starts a bench server script in its own Node process (under tsx) and talks to it by lines.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerChild {
  name: string;
  port: number;
  key: string;
  /** CPU time the child has used so far, user plus system. */
  cpuMicros(): Promise<number>;
  /** Resolves once the child has no work left over from earlier load (see answerBench). */
  settle(): Promise<void>;
  /** Stops the child; resolves with its final report, which always has the number of chunks it stored. */
  stop(): Promise<{ chunks: number } & Record<string, unknown>>;
}

/** `env` is added to the child's environment (DATABASE_URL, for a child on PostgreSQL). */
export async function startServerChild(name: string, script: string, env: Record<string, string> = {}): Promise<ServerChild> {
  // A separate process, so the load generator never shares the server's event loop.
  // BENCH_NODE_FLAGS (e.g. "--max-semi-space-size=32") goes to both servers alike, to try V8 tuning.
  const flags = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const waiting: ((line: string) => void)[] = [];
  const early: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else early.push(line);
  });
  const nextLine = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      const take = (line: string) => resolve(JSON.parse(line) as Record<string, unknown>);
      const line = early.shift();
      if (line !== undefined) take(line);
      else waiting.push(take);
    });
  const ask = (command: string) => {
    const reply = nextLine();
    child.stdin.write(`${command}\n`);
    return reply;
  };

  const ready = await nextLine();
  return {
    name,
    port: ready.port as number,
    key: ready.key as string,
    cpuMicros: async () => (await ask('cpu')).cpuMicros as number,
    settle: async () => void (await ask('settle')),
    async stop() {
      const exited = once(child, 'exit');
      const report = (await ask('stop')) as { chunks: number } & Record<string, unknown>;
      await exited;
      return report;
    },
  };
}
