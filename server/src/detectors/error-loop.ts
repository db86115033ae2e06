// Flags a visitor stuck in a loop: the same script error again and again, or the same action failing the same way each time.
import type { ErrorLoopDetails } from '../api-types';
import type { ClickSignal, ErrorSignal, FormSignal, PageSignal, RequestFailedSignal } from '../analysis/page-signals';
import { describeForm } from './describe-form';
import type { DetectedFriction, DetectorInput } from './detected-friction';
import { ERROR_LOOP_DEFAULTS, type ErrorLoopOptions } from './detector-thresholds';
import { normalizeErrorMessage, normalizeRequestUrl } from './normalize-error-message';
import { originOf, ownRequest } from './submit-outcome';

type Failure = ErrorSignal | RequestFailedSignal;

/** A click or a form submit, with the failures that followed it (by failure key, in order). */
interface Action {
  key: string;
  t: number;
  signal: ClickSignal | FormSignal;
  failures: Map<string, Failure[]>;
}

/**
 * Two patterns, neither waiting for the page to end (a flag keeps its ts as more batches come; its count may grow):
 * - action-error: the same action (a click on the same control, or the same form's submit) followed,
 *   within followMs and before the next action, by the same error or failed request, actionMinRepeats
 *   times in a row, each try within actionMaxGapMs of the last. A try without that failure ends the loop.
 * - repeated-error: the same error (normalised message and source) minRepeats times within windowMs,
 *   whatever caused it; left out when every occurrence followed a try of an action-error flag.
 * A third party's request that failed with no status (a tracker an ad blocker stopped) is not a failure.
 */
export function detectErrorLoops(input: DetectorInput, options: ErrorLoopOptions = ERROR_LOOP_DEFAULTS): DetectedFriction[] {
  const origin = originOf(input.url);
  const actions: Action[] = [];
  const errors = new Map<string, ErrorSignal[]>();
  const keyOf = actionKeys();
  for (const signal of input.signals) {
    if (signal.k === 'click' || (signal.k === 'form' && signal.action === 'submit')) {
      actions.push({ key: keyOf(signal), t: signal.t, signal, failures: new Map() });
      continue;
    }
    const key = failureKey(signal, origin);
    if (!key) continue;
    if (signal.k === 'error') errors.set(key, [...(errors.get(key) ?? []), signal]);
    const action = actions.at(-1);
    if (action && signal.t - action.t <= options.followMs) action.failures.set(key, [...(action.failures.get(key) ?? []), signal as Failure]);
  }

  const flags: DetectedFriction[] = [];
  const covered = new Set<Failure>();
  for (const run of actionRuns(actions, options)) {
    const [first] = run.tries;
    const failures = run.tries.flatMap((action) => action.failures.get(run.failure)!);
    // Every failure after these tries is part of this loop, also an error the failed request caused.
    for (const action of run.tries) for (const list of action.failures.values()) list.forEach((failure) => covered.add(failure));
    const failure = failures[0]!;
    const trigger = first!.signal.k === 'click' ? first!.signal.sel : first!.signal.form;
    const details: ErrorLoopDetails = {
      pattern: 'action-error',
      count: run.tries.length,
      error: describeFailure(failure),
      ...(failure.k === 'error' && failure.source ? { source: failure.source } : {}),
      trigger,
      firstTs: first!.t,
      lastTs: failures.at(-1)!.t,
    };
    const what = failure.k === 'error' ? `hit the same script error: '${failure.message}'` : `failed: ${requestOutcome(failure)}`;
    const reason = `${describeAction(first!.signal)} ${details.count} times in a row, and each time it ${what}.`;
    flags.push({ type: 'error_loop', ts: first!.t, url: '', selector: trigger, reason, details });
  }
  for (const occurrences of errors.values()) {
    for (const cluster of clusters(occurrences, options)) {
      if (cluster.every((error) => covered.has(error))) continue;
      const first = cluster[0]!;
      const last = cluster.at(-1)!;
      const details: ErrorLoopDetails = {
        pattern: 'repeated-error',
        count: cluster.length,
        error: normalizeErrorMessage(first.message),
        ...(first.source ? { source: first.source } : {}),
        firstTs: first.t,
        lastTs: last.t,
      };
      const reason = `The same script error happened ${cluster.length} times in ${duration(last.t - first.t)}: '${first.message}'.`;
      flags.push({ type: 'error_loop', ts: first.t, url: '', selector: null, reason, details });
    }
  }
  return flags.sort((a, b) => a.ts - b.ts);
}

/** The same error is its normalised message and source; the same failed request its method, URL shape and status. */
function failureKey(signal: PageSignal, origin: string): string | undefined {
  if (signal.k === 'error') return `error ${normalizeErrorMessage(signal.message)} @ ${signal.source ?? ''}`;
  if (signal.k !== 'request-failed') return undefined;
  return signal.status === 0 && !ownRequest(signal.url, 0, origin) ? undefined : `request ${describeFailure(signal)}`;
}

function describeFailure(failure: Failure): string {
  return failure.k === 'error' ? normalizeErrorMessage(failure.message) : `${failure.method} ${normalizeRequestUrl(failure.url)} → ${failure.status}`;
}

function requestOutcome({ method, url, status }: RequestFailedSignal): string {
  return status ? `the site answered ${status} to ${method} ${url}` : `${method} ${url} did not get through (network error)`;
}

/**
 * Clicks are the same action when on the same selector, or on the same control (the recorder's
 * target: same kind and text) through a different child of it: the icon or the label of one button.
 * The first click seen on a control gives the key later ones reuse.
 */
function actionKeys(): (signal: ClickSignal | FormSignal) => string {
  const seen: ClickSignal[] = [];
  return (signal) => {
    if (signal.k === 'form') return `submit ${signal.form}`;
    const match = seen.find((other) => other.sel === signal.sel || sameControl(other, signal)) ?? (seen.push(signal), signal);
    return `click ${match.sel}`;
  };
}

function sameControl(a: ClickSignal, b: ClickSignal): boolean {
  if (!a.target?.text || a.target.kind !== b.target?.kind || a.target.text !== b.target.text) return false;
  const [pa, pb] = [a.sel.split('>'), b.sel.split('>')];
  const shared = pa.findIndex((part, i) => part !== pb[i]);
  // One is inside the other, or they are children of one parent.
  return shared === -1 || shared === pb.length || (shared === pa.length - 1 && shared === pb.length - 1);
}

interface Run {
  failure: string;
  tries: Action[];
}

/**
 * Runs of one action's tries each followed by the same failure. A failure that comes with another
 * on every try (a failed request, then the script error it caused) would make a second flag for one
 * loop: a run whose tries another run already holds is left out, the longer and then the earlier kept.
 */
function actionRuns(actions: readonly Action[], options: ErrorLoopOptions): Run[] {
  const byKey = new Map<string, Action[]>();
  for (const action of actions) byKey.set(action.key, [...(byKey.get(action.key) ?? []), action]);
  const candidates: Run[] = [];
  for (const tries of byKey.values()) {
    const open = new Map<string, Run>();
    const close = (run: Run) => {
      open.delete(run.failure);
      if (run.tries.length >= options.actionMinRepeats) candidates.push(run);
    };
    for (const action of tries) {
      for (const run of [...open.values()])
        if (!action.failures.has(run.failure) || action.t - run.tries.at(-1)!.t > options.actionMaxGapMs) close(run);
      for (const failure of action.failures.keys()) {
        const run = open.get(failure);
        if (run) run.tries.push(action);
        else open.set(failure, { failure, tries: [action] });
      }
    }
    [...open.values()].forEach(close);
  }
  candidates.sort((a, b) => b.tries.length - a.tries.length || firstFailureT(a) - firstFailureT(b));
  const kept: Run[] = [];
  for (const run of candidates) if (!kept.some((other) => run.tries.every((action) => other.tries.includes(action)))) kept.push(run);
  return kept;
}

const firstFailureT = (run: Run) => run.tries[0]!.failures.get(run.failure)![0]!.t;

/** Clusters of one error's occurrences where every minRepeats in a row fall within windowMs. */
function clusters(occurrences: readonly ErrorSignal[], { minRepeats, windowMs }: ErrorLoopOptions): ErrorSignal[][] {
  const found: ErrorSignal[][] = [];
  for (let i = 0; i + minRepeats - 1 < occurrences.length; ) {
    if (occurrences[i + minRepeats - 1]!.t - occurrences[i]!.t > windowMs) {
      i++;
      continue;
    }
    let j = i + minRepeats - 1;
    while (j + 1 < occurrences.length && occurrences[j + 1]!.t - occurrences[j + 2 - minRepeats]!.t <= windowMs) j++;
    found.push(occurrences.slice(i, j + 1));
    i = j + 1;
  }
  return found;
}

function describeAction(signal: ClickSignal | FormSignal): string {
  if (signal.k === 'form') return `The visitor submitted ${describeForm(signal.form)}`;
  const text = signal.target?.text;
  return `The visitor clicked ${text ? `'${text}'` : signal.target?.kind === 'a' ? 'a link' : signal.target?.kind === 'button' ? 'a button' : 'the same spot'}`;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 1 ? 'under a second' : seconds === 1 ? '1 second' : `${seconds} seconds`;
}
