// Runs the analysis pass in a child process beside the server, restarting it if it dies, stopping it with the server.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./analysis-process.ts', import.meta.url));
/** A child that keeps dying is restarted no faster than this. */
export const RESTART_DELAY_MS = 1000;

export interface AnalysisProcess {
  /** Asks the child to finish its pass and exit; resolves when it has. */
  stop(): Promise<void>;
}

/**
 * The child inherits the server's environment (DATA_DIR, SESSION_IDLE_TIMEOUT_MS) and its Node flags
 * (the TypeScript loader). An IPC channel is opened so that the child notices when the server dies.
 */
export function startAnalysisProcess(options: { env?: NodeJS.ProcessEnv; log?: (message: string) => void } = {}): AnalysisProcess {
  const { env = process.env, log = console.log } = options;
  let child: ChildProcess | undefined;
  let stopping = false;

  function launch(): void {
    const started = Date.now();
    child = fork(ENTRY, [], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      log(`frictionlens: analysis process exited (${signal ?? `code ${code}`}); restarting`);
      setTimeout(launch, Math.max(0, RESTART_DELAY_MS - (Date.now() - started))).unref();
    });
  }

  launch();
  return {
    stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
  };
}
