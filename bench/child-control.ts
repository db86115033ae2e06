// Lets the bench talk to a server child over stdin/stdout lines: report CPU time, settle, or stop.
import { createInterface } from 'node:readline';

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * `ready` is the first line the bench reads; `stop` cleans up and returns the final report;
 * `settle` resolves once the child has no work left over from earlier load (its analysis queue
 * drained), at once by default.
 */
export function answerBench(
  ready: Record<string, unknown>,
  stop: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  settle: () => Promise<void> = async () => {},
): void {
  reply(ready);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'cpu') {
      // CPU time, unlike throughput, hardly moves when other work shares the machine.
      const usage = process.cpuUsage();
      reply({ cpuMicros: usage.user + usage.system });
    } else if (line === 'settle') {
      void settle().then(() => reply({ settled: true }));
    } else if (line === 'stop') {
      void Promise.resolve(stop()).then((report) => {
        reply(report);
        process.exit(0);
      });
    }
  });
}
