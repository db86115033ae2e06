// Flags forms the visitor started and left (page left, app route changed, session idle) without a submit that went through.
import type { FieldValidationError, FormAbandonmentDetails } from '../api-types';
import type { ClickSignal, FieldSignal, PageSignal } from '../analysis/page-signals';
import type { FieldRef } from '../../../recorder/src/wire/format';
import { describeField, describeForm } from './describe-form';
import type { DetectedFriction, DetectorInput } from './detected-friction';
import { FORM_ABANDONMENT_DEFAULTS, type FormAbandonmentOptions } from './detector-thresholds';
import { originOf, submitOutcome } from './submit-outcome';
import { isAncestorOrSelf } from './presses';

/** Fields a visitor types a value into. Choices (select, checkbox, radio, number, range, date pickers) are left out: a sort-by select or a cart quantity in a form is not a form being filled in. */
const ENTRY_KIND = /^(input:(text|email|tel|password|url)|textarea)$/;
/** Search boxes: typing a query and following a result is not abandoning anything. */
const SEARCH_FIELD = /search|query|^q$|^s$/i;
/** Presses that may submit a form the site handles without a submit event. */
const BUTTON_KIND = /^(button|input:(submit|button|image))$/;

interface FieldState {
  ref: FieldRef;
  /** Time of the field's last signal: the moment to open the replay when it is the drop-off field. */
  lastT: number;
  /** The visitor put a value in: a change event, keystrokes while it had focus, or empty → not empty. */
  filled: boolean;
  /** The visitor put the caret in it: clicked or tapped it or its label, or tabbed on from a field they were filling in. */
  entered: boolean;
  hadValue: boolean;
  empty: boolean;
  /** The message shown while it is invalid, '' while valid. */
  error: string;
}

/** One form's life since it was first used or last went through. */
interface Attempt {
  form: string | null;
  start: number;
  fields: Map<string, FieldState>;
  /**
   * Field selectors by their latest touch: the visitor's focus, a change or keystrokes, and once the
   * visitor has begun, any focus (a site focusing the first invalid field): the drop-off field is the last.
   */
  touched: string[];
  /** By their first touch. */
  firstTouched: string[];
  errors: FieldValidationError[];
  blocked: number;
  lastInvalidT: number;
  lastSubmitT: number;
  /** A click came after the form's last field signal: only the first press after filling can stand in for a submit. */
  clickedSince: boolean;
}

/**
 * Started = the visitor entered (clicked, tapped or tabbed into) or filled at least minStartedFields
 * text fields of the form that are not search boxes (focusFromClick, focusFromTab). A focus nobody
 * made (autofocus at load, a script's focus()) starts nothing until the visitor types. Fields
 * outside any form are one group per page view and need minFilledFieldsOutsideForm of them filled.
 * Whole-page endings wait for `complete`; a route change ends the forms of the old route at once. A submit is judged by submitOutcome; one that went through starts the form afresh.
 * Forms that never fire a submit event (a button with a script) are judged at the first button
 * press after their last field signal.
 */
export function detectFormAbandonment(input: DetectorInput, options: FormAbandonmentOptions = FORM_ABANDONMENT_DEFAULTS): DetectedFriction[] {
  const { signals, complete } = input;
  const origin = originOf(input.url);
  const withSubmit = new Set<string>();
  for (const s of signals) if (s.k === 'form' && s.action === 'submit') withSubmit.add(s.form);
  const attempts = new Map<string, Attempt>();
  const flags: DetectedFriction[] = [];
  let focused: FieldState | null = null;

  const attemptOf = (form: string | null): Attempt => {
    let attempt = attempts.get(form ?? '');
    if (!attempt) {
      attempt = { form, start: NaN, fields: new Map(), touched: [], firstTouched: [], errors: [], blocked: 0, lastInvalidT: -Infinity, lastSubmitT: -Infinity, clickedSince: false };
      attempts.set(form ?? '', attempt);
    }
    return attempt;
  };
  const judge = (attempt: Attempt, index: number, invalidFields: readonly string[]) => {
    const outcome = submitOutcome(signals, index, { form: attempt.form, invalidFields, origin, windowMs: options.submitAnswerWindowMs });
    if (outcome === 'through') {
      attempts.delete(attempt.form ?? '');
      if (focused && attempt.fields.get(focused.ref.selector) === focused) focused = null;
    } else {
      attempt.blocked++;
      attempt.lastSubmitT = signals[index]!.t;
    }
  };
  const flush = (ending: FormAbandonmentDetails['ending'], endT: number) => {
    for (const attempt of attempts.values()) if (started(attempt, options)) flags.push(flag(attempt, ending, endT));
    attempts.clear();
    focused = null;
  };

  let lastBlur: { field: FieldState; attempt: Attempt; t: number } | null = null;
  signals.forEach((signal, index) => {
    switch (signal.k) {
      case 'field': {
        const attempt = attemptOf(signal.field.form ?? null);
        const byVisitor = signal.action === 'focus' && (focusFromClick(signals, index, options) || focusFromTab(lastBlur, attempt, signal.t, options));
        focused = onField(attempt, signal, focused, byVisitor, options);
        if (signal.action === 'blur') lastBlur = { field: attempt.fields.get(signal.field.selector)!, attempt, t: signal.t };
        break;
      }
      case 'input':
        if (focused) {
          focused.filled = true;
          focused.lastT = signal.t;
          const attempt = [...attempts.values()].find((a) => a.fields.get(focused!.ref.selector) === focused);
          if (attempt) touch(attempt, focused, signal.t);
        }
        break;
      case 'form':
        if (signal.action === 'submit') judge(attemptOf(signal.form), index, signal.invalidFields);
        break;
      case 'click':
        for (const attempt of [...attempts.values()]) {
          if (!attempt.clickedSince && attempt.touched.length && isButton(signal) && !withSubmit.has(attempt.form ?? '')) judge(attempt, index, []);
          attempt.clickedSince = true;
        }
        break;
      case 'view':
        if (signal.trigger !== 'load') flush('route-change', signal.t);
        break;
    }
  });
  // Complete without an end signal: the session went idle, and its last signal is the end.
  if (complete && signals.length) flush(signals.some((s) => s.k === 'end') ? 'left-page' : 'session-ended', signals[signals.length - 1]!.t);
  return flags;
}

/**
 * A focus the visitor made with the pointer: a click on the field (or inside it: an editor's
 * content) or on a label comes within the press around it. The focus comes at pointerdown and the
 * click at its release (up to focusPressMs later); a label focuses its field once its click is dispatched.
 */
function focusFromClick(signals: readonly PageSignal[], index: number, { focusPressMs, focusLabelLeadMs }: FormAbandonmentOptions): boolean {
  const focus = signals[index] as FieldSignal;
  const onField = (s: PageSignal) =>
    s.k === 'click' && (isAncestorOrSelf(focus.field.selector, s.sel) || s.target?.kind === 'label') && !s.modifier;
  for (let i = index - 1; i >= 0 && signals[i]!.t >= focus.t - focusLabelLeadMs; i--) if (onField(signals[i]!)) return true;
  for (let i = index + 1; i < signals.length && signals[i]!.t <= focus.t + focusPressMs; i++) if (onField(signals[i]!)) return true;
  return false;
}

/** Tab from a field the visitor had begun on moves the caret to the next field of the same form in the same task. */
function focusFromTab(lastBlur: { field: FieldState; attempt: Attempt; t: number } | null, attempt: Attempt, t: number, { focusTabMs }: FormAbandonmentOptions): boolean {
  if (!lastBlur || lastBlur.attempt !== attempt || t - lastBlur.t > focusTabMs) return false;
  return lastBlur.field.entered || lastBlur.field.filled;
}

/** The visitor did something with the field: it becomes the latest touched, and the form's time starts. */
function touch(attempt: Attempt, state: FieldState, t: number): void {
  const { selector } = state.ref;
  if (Number.isNaN(attempt.start)) attempt.start = t;
  if (!attempt.firstTouched.includes(selector)) attempt.firstTouched.push(selector);
  if (attempt.touched.at(-1) !== selector) attempt.touched = [...attempt.touched.filter((other) => other !== selector), selector];
}

/** Applies one field signal to its form's attempt; returns the field that has focus now. */
function onField(attempt: Attempt, signal: FieldSignal, focused: FieldState | null, byVisitor: boolean, options: FormAbandonmentOptions): FieldState | null {
  const { action, field: ref, t } = signal;
  let state = attempt.fields.get(ref.selector);
  if (!state) attempt.fields.set(ref.selector, (state = { ref, lastT: t, filled: false, entered: false, hadValue: false, empty: signal.empty, error: '' }));
  if (state.empty && !signal.empty) state.filled = true;
  state.ref = ref;
  state.lastT = t;
  state.empty = signal.empty;
  state.hadValue ||= !signal.empty;
  attempt.clickedSince = false;

  if (action === 'change') state.filled = true;
  if (action === 'focus' && byVisitor) state.entered = true;
  // Before the visitor began, a focus nobody made is not a touch; after, it shows where they are.
  if (action === 'change' || (action === 'focus' && (byVisitor || attempt.touched.length > 0))) touch(attempt, state, t);
  if (signal.message && shown(signal)) {
    state.error = signal.message;
    if (!attempt.errors.some((e) => e.field === ref.selector && e.message === signal.message))
      attempt.errors.push({ field: ref.selector, ...(ref.label ? { label: ref.label } : {}), message: signal.message });
  } else if (signal.valid) state.error = '';
  // The browser fires `invalid` on every invalid field of a submit it refuses, and never fires the
  // submit; those right after a submit event belong to that submit, already counted.
  if (action === 'invalid') {
    if (t - attempt.lastInvalidT > options.invalidBurstMs && t - attempt.lastSubmitT > options.submitAnswerWindowMs) attempt.blocked++;
    attempt.lastInvalidT = t;
  }
  if (action === 'focus') return state;
  return action === 'blur' && focused === state ? null : focused;
}

/**
 * An error the visitor saw: the browser shows its own message (a required field left empty, a bad
 * email) only when a submit is refused, which fires `invalid`; a site shows its own at once
 * (setCustomValidity: customError, or aria-invalid with no constraint failing). A required field
 * focused while still empty is invalid, with a message nobody sees.
 */
function shown({ action, valid, validity }: FieldSignal): boolean {
  return action === 'invalid' || (!valid && (validity.length === 0 || validity.includes('customError')));
}

function started(attempt: Attempt, options: FormAbandonmentOptions): boolean {
  let filled = 0;
  let begun = 0;
  for (const { ref, filled: isFilled, entered } of attempt.fields.values()) {
    if (!ENTRY_KIND.test(ref.kind) || [ref.name, ref.label].some((text) => text && SEARCH_FIELD.test(text))) continue;
    if (isFilled) filled++;
    if (isFilled || entered) begun++;
  }
  if (attempt.touched.length === 0) return false;
  return attempt.form === null ? filled >= options.minFilledFieldsOutsideForm : begun >= options.minStartedFields;
}

const isButton = (click: ClickSignal) => !!click.target && (BUTTON_KIND.test(click.target.kind) || click.target.role === 'button');

function flag(attempt: Attempt, ending: FormAbandonmentDetails['ending'], endT: number): DetectedFriction {
  const { form, touched, firstTouched, fields, errors, blocked } = attempt;
  const dropOffField = touched.at(-1)!;
  const drop = fields.get(dropOffField)!;
  // Fields outside a form: the flag points at their closest common ancestor, when they have one.
  const selector = form ?? commonAncestor(touched);
  const details: FormAbandonmentDetails = {
    form: selector ?? '',
    fieldsTouched: firstTouched,
    dropOffField,
    ...(drop.ref.label ? { dropOffLabel: drop.ref.label } : {}),
    timeSpentMs: Math.max(0, endT - attempt.start),
    validationErrors: errors,
    clearedFields: [...fields.values()].filter((field) => field.hadValue && field.empty && touched.includes(field.ref.selector)).map((field) => field.ref.selector),
    blockedSubmits: blocked,
    ending,
    ...(form === null ? { outsideForm: true as const } : {}),
  };
  return { type: 'form_abandonment', ts: drop.lastT, url: '', selector, reason: reason(form, drop, blocked, ending), details };
}

function reason(form: string | null, drop: FieldState, blocked: number, ending: FormAbandonmentDetails['ending']): string {
  const what = form === null ? 'Started filling in fields on the page' : `Started ${describeForm(form)}`;
  const error = drop.error ? ` (error: '${drop.error}')` : '';
  const leave = { 'left-page': 'left', 'route-change': 'went to another page', 'session-ended': 'went idle' }[ending];
  const tail = blocked
    ? `tried to submit ${blocked === 1 ? 'once' : `${blocked} times`} without getting through, and ${leave}`
    : `and ${leave} without submitting`;
  return `${what}, got to ${describeField(drop.ref)}${error}, ${tail}.`;
}

/** The longest selector prefix (whole '>' parts) the selectors share, null when it is none or only <body>. */
function commonAncestor(selectors: readonly string[]): string | null {
  const paths = selectors.map((selector) => selector.split('>'));
  const shared: string[] = [];
  for (let i = 0; paths.every((parts) => parts.length > i + 1 && parts[i] === paths[0]![i]); i++) shared.push(paths[0]![i]!);
  const ancestor = shared.join('>');
  return ancestor && ancestor !== 'body' ? ancestor : null;
}
