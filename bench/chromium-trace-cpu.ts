// CPU time of a Chromium tab's main thread up to performance marks, and of its other threads, read from a trace of the 'toplevel' and 'blink.user_timing' categories.

/** What Chromium's 'toplevel' trace category calls each task a thread runs; they do not nest. */
const MAIN_THREAD_TASK = 'ThreadControllerImpl::RunTask';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  /** Wall time of a complete event, µs. */
  dur?: number;
  /** CPU time of a complete event, µs. */
  tdur?: number;
  /** name: a thread_name metadata event's thread name. */
  args?: { name?: string; data?: { documentLoaderURL?: string } };
}

export interface TraceCpu {
  /** From the frame mark to the end of its task, which renders the frame: ms. */
  renderedAfterMarkMs: number;
  /** Main-thread CPU from navigation to each of `marks`, ms; NaN for a mark missing from the trace. */
  toMarks: number[];
  firstFrame: number;
  /** Every other thread's CPU in the same span. */
  others: number;
}

/** CPU time of the tab's main thread (the thread that made `frameMark`) from its navigation to each mark, and of every other thread until the first frame. */
export function traceCpu(trace: Buffer, frameMark: string, marks: readonly string[]): TraceCpu {
  const { traceEvents } = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] };
  const none = { renderedAfterMarkMs: NaN, toMarks: marks.map(() => NaN), firstFrame: NaN, others: NaN };
  const mark = traceEvents.find((event) => event.name === frameMark);
  if (!mark) return none;
  const onThread = (event: TraceEvent) => event.pid === mark.pid && event.tid === mark.tid;
  // The animation frame task the first frame was seen in, which goes on to render it.
  const frameTask = traceEvents.find((event) => onThread(event) && event.ph === 'X' && event.name === MAIN_THREAD_TASK && event.ts <= mark.ts && mark.ts <= event.ts + (event.dur ?? 0));
  const renderedTs = frameTask ? frameTask.ts + (frameTask.dur ?? 0) : mark.ts;
  const renderedAfterMarkMs = frameTask ? (renderedTs - mark.ts) / 1000 : NaN;
  // The viewer's own navigation: the thread also starts about:blank documents (the replay's frame) and same-page ones.
  const start = traceEvents.find((event) => onThread(event) && event.name === 'navigationStart' && event.args?.data?.documentLoaderURL?.startsWith('http'))?.ts;
  if (start === undefined) return { ...none, renderedAfterMarkMs };
  const tasks = traceEvents.filter((event) => event.ph === 'X' && event.name === MAIN_THREAD_TASK && event.ts >= start && event.ts < renderedTs);
  // A task a mark falls in is split at the mark in proportion to its wall time: a replay's marks
  // from 'needed in' to 'seeked' are often all made in one task.
  const cpuUntil = (ts: number) =>
    tasks
      .filter((task) => onThread(task) && task.ts < ts)
      .reduce((sum, task) => sum + (task.tdur ?? 0) * Math.min(1, (ts - task.ts) / Math.max(1, task.dur ?? 0)), 0) / 1000;
  const markTs = (name: string) => traceEvents.find((event) => onThread(event) && event.name === name)?.ts;
  return {
    renderedAfterMarkMs,
    toMarks: marks.map((name) => {
      const ts = markTs(name);
      return ts === undefined ? NaN : cpuUntil(ts);
    }),
    firstFrame: cpuUntil(renderedTs),
    others: tasks.filter((task) => !onThread(task)).reduce((sum, task) => sum + (task.tdur ?? 0), 0) / 1000,
  };
}
