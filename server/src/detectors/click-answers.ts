// What a page did in answer to a press: the changes, navigations and effects looked for after a click.
import type { ClickEffectKind } from '../../../recorder/src/wire/format';
import type { PageSignal } from '../analysis/page-signals';
import { firstAt, type ClickPage } from './click-page';
import { mutationAnswers, type Background } from './page-background';
import type { Press } from './presses';

export type AnswerKind =
  | 'dom-change'
  | 'route-change'
  | 'scroll'
  | 'focus'
  | 'selection'
  | 'input'
  | 'form'
  | Exclude<ClickEffectKind, 'disabled-press'>;

/** What a dead click's details list as looked for and not found ('navigation': the page load ending). */
export const LOOKED_FOR: readonly string[] = [
  'dom-change',
  'navigation',
  'route-change',
  'scroll',
  'focus',
  'selection',
  'input',
  'form',
  'window-open',
  'file-chooser',
  'date-picker',
  'download',
  'copy',
];

export interface AnswerScan {
  answer?: { kind: AnswerKind; t: number };
  /** The page load ended, or the recording restarted from a full snapshot: what followed the press is unknown. */
  ended: boolean;
  /** Mutations seen before the answer (or in the whole range) that were judged background. */
  background: number;
}

/** Checkboxes and radios fire change when clicked: that is their answer, unlike a text field's change on leaving it. */
const CHECKABLE = /^input:(checkbox|radio)$/;

/**
 * Scans [from, to) for the first answer to `press`. A selection change answers a single click (one
 * that ends a drag selection, or clears one) but not the second or later click of a multi-click:
 * that is the browser selecting the word or paragraph under it, whatever the click was meant for.
 */
export function scanAnswers(page: ClickPage, bg: Background, from: number, to: number, press: Pick<Press, 't' | 'count'>): AnswerScan {
  const { signals } = page;
  let background = 0;
  for (let i = firstAt(signals, from); i < signals.length && signals[i]!.t < to; i++) {
    const s = signals[i]!;
    if (s.k == 'end' || s.k == 'snapshot') return { ended: true, background };
    if (s.k == 'mutation' && !mutationAnswers(page, bg, i, press.t)) background++;
    else if (s.k == 'selection' && press.count > 1) continue;
    else {
      const kind = answerKind(s, press.t + page.options.userActionMs);
      if (kind) return { answer: { kind, t: s.t }, ended: false, background };
    }
  }
  return { ended: false, background };
}

/**
 * Blur and a text field's change are the visitor leaving the field they were in, which pressing
 * anything does; errors, failed requests and track calls show the visitor nothing.
 */
function answerKind(s: PageSignal, handUntil: number): AnswerKind | undefined {
  switch (s.k) {
    case 'mutation':
      return 'dom-change';
    case 'view':
      return 'route-change';
    case 'input':
      return 'input';
    case 'form':
      return 'form';
    case 'scroll':
    case 'selection':
      return s.t <= handUntil ? s.k : undefined;
    case 'field':
      if (s.action == 'invalid') return 'form';
      if (s.action == 'focus' && s.t <= handUntil) return 'focus';
      return s.action == 'change' && CHECKABLE.test(s.field.kind) ? 'input' : undefined;
    case 'effect':
      return s.effect == 'disabled-press' ? undefined : s.effect;
  }
  return undefined;
}

/** Whether the page navigated (a route change, or the page load ending) in [from, until). */
export function navigatedIn(page: ClickPage, from: number, until: number): boolean {
  const { signals } = page;
  for (let i = firstAt(signals, from); i < signals.length && signals[i]!.t < until; i++) {
    const k = signals[i]!.k;
    if (k == 'view' || k == 'end') return true;
  }
  return false;
}

/** Whether the text selection changed or a field took focus in [from, to]: someone selecting or editing text. */
export function selectedOrFocused(page: ClickPage, from: number, to: number): boolean {
  const { signals } = page;
  for (let i = firstAt(signals, from); i < signals.length && signals[i]!.t <= to; i++) {
    const s = signals[i]!;
    if (s.k == 'selection' || (s.k == 'field' && s.action == 'focus')) return true;
  }
  return false;
}
