// Prints the overhead bench's medians: per workload and condition, main-thread task time and CPU time, each recorder's own share, and the target.

export interface Sample {
  /** CDP ThreadTime: the renderer main thread's CPU time over the span. */
  cpuMs: number;
  /** CDP TaskDuration: wall time of the main thread's tasks over the span. */
  taskMs: number;
  /** The span itself, wall clock: from the workload's start until all was sent and the page idle. */
  spanMs: number;
  /** Our recorder paused for a mutation storm, and the span ran on to its resume snapshot. */
  storm: boolean;
  /** Ours only: one periodic full snapshot on the page the workload left, measured apart. */
  checkout?: { cpuMs: number; taskMs: number };
}

/** Our recorder's own cost may be at most this multiple of bare rrweb's... */
export const TARGET_RATIO = 1.1;
/** ...or, where bare rrweb plus JSON.stringify of its events is itself above that, this multiple of that row's. */
export const TARGET_RATIO_TO_STRINGIFY = 1.05;

type Metric = 'taskMs' | 'cpuMs';

export function printOverheadReport(
  workloads: readonly string[],
  sustained: readonly string[],
  conditions: readonly string[],
  samples: Map<string, readonly Sample[]>,
  median: (values: readonly number[]) => number,
): void {
  const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '-');
  const x = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : '-');
  const med = (workload: string, condition: string, pick: (s: Sample) => number | undefined) => {
    const values = (samples.get(`${workload}/${condition}`) ?? []).map(pick).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : NaN;
  };
  const others = conditions.filter((c) => c !== 'none');
  const verdicts: string[] = [];

  for (const metric of ['taskMs', 'cpuMs'] as Metric[]) {
    console.log(
      metric === 'taskMs'
        ? '\nMain-thread TASK time (CDP TaskDuration: every task of the renderer main thread, GC and structured cloning included), median ms.'
        : '\nMain-thread CPU time (CDP ThreadTime: less inflated by other processes on a loaded machine), median ms.',
    );
    console.log('Span: workload start until all is sent (one-shots: tab hidden at once; sustained (*): 7 s, then hidden).');
    console.log("own = condition - none: the recorder's own cost. target: ours own <= 1.10x bare own, or <= 1.05x +stringify own where that is above 1.10x.\n");
    console.log(`| workload | none | ${others.map((c) => `${c} own`).join(' | ')} | ${others.filter((c) => c !== 'bare').map((c) => `${c}/bare`).join(' | ')} | target | storms |`);
    console.log(`|---|---:|${others.map(() => '---:').join('|')}|${others.filter((c) => c !== 'bare').map(() => '---:').join('|')}|---|---:|`);
    const totals: Record<string, number> = {};
    for (const workload of workloads) {
      const own: Record<string, number> = {};
      const none = med(workload, 'none', (s) => s[metric]);
      for (const c of others) {
        own[c] = med(workload, c, (s) => s[metric]) - none;
        totals[c] = (totals[c] ?? 0) + own[c]!;
      }
      const verdict = judge(own);
      if (verdict) verdicts.push(`${metric === 'taskMs' ? 'task' : 'cpu'} ${workload}: ${verdict}`);
      const storms = samples.get(`${workload}/ours`)?.filter((s) => s.storm).length ?? 0;
      console.log(
        `| ${workload}${sustained.includes(workload) ? ' *' : ''} | ${fmt(none)} | ${others.map((c) => fmt(own[c]!)).join(' | ')} | ` +
          `${others.filter((c) => c !== 'bare').map((c) => x(own[c]! / own.bare!)).join(' | ')} | ${verdict ?? '-'} | ${storms}/${samples.get(`${workload}/ours`)?.length ?? 0} |`,
      );
    }
    console.log(
      `| all (sum of medians) | | ${others.map((c) => fmt(totals[c]!)).join(' | ')} | ` +
        `${others.filter((c) => c !== 'bare').map((c) => x(totals[c]! / totals.bare!)).join(' | ')} | | |`,
    );
  }

  const checkouts = workloads.map((w) => [w, med(w, 'ours', (s) => s.checkout?.taskMs), med(w, 'ours', (s) => s.checkout?.cpuMs)] as const);
  if (checkouts.some(([, task]) => Number.isFinite(task))) {
    console.log('\nOne periodic full snapshot (checkout) by our recorder on the page each workload left, until sent; outside the spans above. Median ms.\n');
    console.log('| page after | task | cpu |\n|---|---:|---:|');
    for (const [w, task, cpu] of checkouts) console.log(`| ${w} | ${fmt(task)} | ${fmt(cpu)} |`);
  }
  if (conditions.includes('ours') && conditions.includes('bare')) {
    const failed = verdicts.filter((v) => v.endsWith('NOT met'));
    console.log(`\nTarget per workload: ${failed.length ? `NOT met on ${failed.join('; ')}` : 'met on every workload, task and cpu'}`);
  }
}

/** 'met' or 'NOT met' against bare (or +stringify where that is above the target itself); null without the rows. */
function judge(own: Record<string, number>): string | null {
  if (own.ours === undefined || own.bare === undefined) return null;
  const ratio = own.ours / own.bare;
  if (ratio <= TARGET_RATIO) return `${ratio.toFixed(2)}x bare: met`;
  if (own.stringify !== undefined && own.stringify / own.bare > TARGET_RATIO) {
    const toStringify = own.ours / own.stringify;
    return `${toStringify.toFixed(2)}x +stringify: ${toStringify <= TARGET_RATIO_TO_STRINGIFY ? 'met' : 'NOT met'}`;
  }
  return `${ratio.toFixed(2)}x bare: NOT met`;
}
