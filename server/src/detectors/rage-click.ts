// rage_click: fast repeated presses on one spot of one control where most of them visibly did nothing.
import { scanAnswers, selectedOrFocused } from './click-answers';
import { clickBursts } from './click-bursts';
import { pressRanges, readClickPage, type ClickPage } from './click-page';
import type { DetectedFriction, DetectorInput } from './detected-friction';
import { CLICK_ANSWER_DEFAULTS, RAGE_CLICK_DEFAULTS, type ClickAnswerOptions, type RageClickOptions } from './detector-thresholds';
import { learnBackground } from './page-background';
import { commonSelector, describePress, isJudgeable, type Press } from './presses';

export { RAGE_CLICK_DEFAULTS };

/**
 * A burst (click-bursts.ts: each press under 1 s after the last, within 30 px, on the same control)
 * of at least minClicks presses is rage when most of its presses (more than half, and at least
 * minClicks - 1) got no answer of their own: a stepper whose number changes, a carousel or a
 * pagination that advances, a list that grows, a switch flipped back and forth answer each press
 * and are not rage, whatever their labels say. A submit pressed again and again while its spinner
 * turns is: the first press answered, the rest did not.
 *
 * Each press owns the time up to the next press's lead (the last one settleMs), and its answer is
 * looked for there, against the background learnt before the burst (page-background.ts).
 *
 * Not rage either:
 * - a double or triple click (the browser never counted past maxSelectingCount) that selected text
 *   or focused a field: selecting a word or a paragraph, or double-click to edit;
 * - a burst the data does not yet reach settleMs past (it may grow, or its answer be on its way);
 * - a burst during which the page load ended (a link pressed until it navigated) or the recording
 *   restarted.
 */
export function detectRageClicks(input: DetectorInput, options: RageClickOptions = RAGE_CLICK_DEFAULTS, answers: ClickAnswerOptions = CLICK_ANSWER_DEFAULTS): DetectedFriction[] {
  const page = readClickPage(input, answers);
  const flags: DetectedFriction[] = [];
  for (const burst of clickBursts(page.presses, options)) {
    const verdict = judgeRage(page, burst, options);
    if (verdict) flags.push(rageFlag(burst, verdict));
  }
  return flags;
}

export interface RageVerdict {
  clicksWithEffect: number;
}

/** The rage verdict on one burst, or undefined; dead-click.ts leaves the bursts judged rage to this detector. */
export function judgeRage(page: ClickPage, burst: readonly Press[], options: RageClickOptions): RageVerdict | undefined {
  const last = burst[burst.length - 1]!;
  if (burst.length < options.minClicks || !isJudgeable(last) || page.lastT < last.t + options.settleMs) return undefined;
  const ranges = pressRanges(burst, page.options.leadMs, options.settleMs);
  const bg = learnBackground(page, burst[0]!.t, last.t + options.settleMs, ranges[0]![0]);
  let clicksWithEffect = 0;
  for (const [k, [from, to]] of ranges.entries()) {
    const scan = scanAnswers(page, bg, from, to, burst[k]!);
    if (scan.ended) return undefined;
    if (scan.answer) clicksWithEffect++;
  }
  if (selecting(page, burst, ranges[0]![0], options)) return undefined;
  const without = burst.length - clicksWithEffect;
  return without >= options.minClicks - 1 && without * 2 > burst.length ? { clicksWithEffect } : undefined;
}

/**
 * A double or triple click (the browser never counted past maxSelectingCount) that selected text or
 * focused a field: someone selecting a word or a paragraph, or double-clicking to edit.
 */
export function selecting(page: ClickPage, burst: readonly Press[], from: number, options: Pick<RageClickOptions, 'maxSelectingCount'>): boolean {
  const last = burst[burst.length - 1]!;
  return Math.max(...burst.map((p) => p.count)) <= options.maxSelectingCount && selectedOrFocused(page, from, last.t + page.options.userActionMs);
}

function rageFlag(burst: readonly Press[], { clicksWithEffect }: RageVerdict): DetectedFriction {
  const first = burst[0]!;
  const durationMs = burst[burst.length - 1]!.t - first.t;
  const named = burst.find((p) => p.target?.text) ?? first;
  const disabled = burst.some((p) => p.disabled);
  // A press on a natively disabled control has no target info: describePress already says 'a disabled control'.
  const what = `${burst.length} clicks in ${seconds(durationMs)} on ${describePress(named)}${disabled && named.target ? ' while it was disabled' : ''}`;
  const outcome =
    clicksWithEffect == 0
      ? `${disabled ? ',' : ''} and nothing on the page changed.`
      : `; only ${clicksWithEffect} of them changed anything on the page.`;
  return {
    type: 'rage_click',
    ts: first.t,
    url: '',
    selector: commonSelector(burst.map((p) => p.sel)) || null,
    reason: what + outcome,
    details: {
      clicks: burst.length,
      durationMs,
      clickTimes: burst.map((p) => p.t),
      ...(named.target?.text ? { targetText: named.target.text } : {}),
      clicksWithEffect,
      ...(disabled ? { disabled: true as const } : {}),
    },
  };
}

/** 1200 → '1.2 s', 2000 → '2 s'. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
