// Linux /proc lookups for the crash tests: a process's children, whether it lives, which processes hold a file open.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const pids = (): number[] => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);

/** The parent pid from /proc/PID/stat (its 4th field, after the command name in parentheses). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // gone meanwhile
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Children of `parent` whose command line contains `command` (tsx also runs an esbuild child). */
export function childPids(parent: number, command = ''): number[] {
  return pids().filter((pid) => parentOf(pid) === parent && commandOf(pid).includes(command));
}

/** The analysis process the server at `serverPid` started. */
export const analysisPidOf = (serverPid: number): number | undefined => childPids(serverPid, 'analysis-process')[0];

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes with a file descriptor on `path` (or on its -wal and -shm files, for a database). */
export function processesHolding(path: string): number[] {
  const targets = new Set([path, `${path}-wal`, `${path}-shm`]);
  return pids().filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
        } catch {
          return false;
        }
      });
    } catch {
      return false; // gone, or not ours to look into
    }
  });
}
