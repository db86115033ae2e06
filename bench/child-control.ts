// Lets the bench talk to a server child over stdin/stdout lines: report CPU time, or stop.
import { createInterface } from 'node:readline';

function reply(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** `ready` is the first line the bench reads; `stop` cleans up and returns the final report. */
export function answerBench(ready: Record<string, unknown>, stop: () => Record<string, unknown> | Promise<Record<string, unknown>>): void {
  reply(ready);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'cpu') {
      // CPU time, unlike throughput, hardly moves when other work shares the machine.
      const usage = process.cpuUsage();
      reply({ cpuMicros: usage.user + usage.system });
    } else if (line === 'stop') {
      void Promise.resolve(stop()).then((report) => {
        reply(report);
        process.exit(0);
      });
    }
  });
}
