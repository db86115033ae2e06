// A page's presses in time order: its pointer clicks, and presses on disabled controls, which fire no click.
import type { ClickTargetInfo } from '../../../recorder/src/wire/format';
import type { PageSignal } from '../analysis/page-signals';

export interface Press {
  t: number;
  /** Page coordinates, CSS px; absent for a press on a natively disabled control, which sends no click. */
  x?: number;
  y?: number;
  /** Selector of the element under the pointer ('' when the recorder could not name it). */
  sel: string;
  /** The browser's click count (MouseEvent.detail): 2 and 3 within a double and triple click. */
  count: number;
  modifier: boolean;
  target?: ClickTargetInfo;
  /** A disabled-press effect came with it: the control was disabled or aria-disabled. */
  disabled: boolean;
  /** When its mouse button or finger went down, when the recording has it: the press starts there. */
  downT?: number;
}

/** Canvas, media and frames answer without a DOM change, or out of the recording's sight: no answer can be judged there. */
const UNSEEN_KIND = /^(canvas|video|audio|iframe|embed|object)$/;

/**
 * Chromium fires no click on a disabled control, only the pointerdown the recorder turns into a
 * disabled-press effect: such a press stands alone. An aria-disabled control gets both; the effect
 * then marks the click that follows it on the same element. A click's press started at the last
 * pointer down before it, when that came at most holdMs earlier.
 */
export function findPresses(signals: readonly PageSignal[], pairMs: number, holdMs = Infinity): Press[] {
  const presses: Press[] = [];
  const disabled: Array<{ t: number; sel: string }> = [];
  let down: number | undefined;
  for (const s of signals) {
    if (s.k == 'pointerdown') down = s.t;
    else if (s.k == 'click') {
      const downT = down !== undefined && s.t - down <= holdMs ? down : undefined;
      presses.push({ t: s.t, x: s.x, y: s.y, sel: s.sel, count: s.count, modifier: s.modifier, target: s.target, disabled: false, ...(downT === undefined ? {} : { downT }) });
      down = undefined;
    } else if (s.k == 'effect' && s.effect == 'disabled-press') disabled.push({ t: s.t, sel: s.sel ?? '' });
  }
  const clicks = presses.length;
  for (const d of disabled) {
    const click = presses.find(
      (p, i) => i < clicks && !p.disabled && p.t >= d.t && p.t - d.t <= pairMs && (!d.sel || related(d.sel, p.sel)),
    );
    if (click) click.disabled = true;
    // The effect is sent at pointerdown: the press starts there, not a lead before it (a page's
    // first snapshot just before would read as the recording restarting after the press).
    else presses.push({ t: d.t, sel: d.sel, count: 1, modifier: false, disabled: true, downT: d.t });
  }
  return presses.sort((a, b) => a.t - b.t);
}

/**
 * A press that can join a burst and be judged by what changed after it. A modifier opens a tab or
 * extends a selection; a text field is clicked to place the caret or select its text, and its
 * selection never shows as a document selection.
 */
export function isJudgeable(p: Press): boolean {
  return !p.modifier && !p.target?.editable && !UNSEEN_KIND.test(p.target?.kind ?? '');
}

/** Selectors are paths joined by '>' (stable-selector.ts), so an ancestor's selector is a prefix of its descendant's. */
export function isAncestorOrSelf(ancestor: string, sel: string): boolean {
  return ancestor.length > 0 && (sel == ancestor || sel.startsWith(ancestor + '>'));
}

const related = (a: string, b: string) => isAncestorOrSelf(a, b) || isAncestorOrSelf(b, a);

/**
 * The same control: one element contains the other, or both name the same control in their target
 * info (a button's icon and its label are siblings, and an id inside a control starts a selector afresh).
 */
export function sameTarget(a: Press, b: Press): boolean {
  if (related(a.sel, b.sel)) return true;
  const [p, q] = [a.target, b.target];
  return !!p && !!q && !!p.text && p.kind == q.kind && p.text == q.text && p.role == q.role && p.href == q.href;
}

/** The deepest element containing all of them; the first selector when they share no path. */
export function commonSelector(sels: readonly string[]): string {
  const [first = '', ...rest] = sels;
  let parts = first.split('>');
  for (const sel of rest) {
    const other = sel.split('>');
    let n = 0;
    while (n < parts.length && parts[n] == other[n]) n++;
    parts = parts.slice(0, n);
  }
  return parts.join('>') || first;
}

const NOUNS: Array<[RegExp, string]> = [
  [/^(a|link)$/, 'a link'],
  [/^(button|input:(button|submit|reset|image))$/, 'a button'],
  [/^(img|image|picture)$/, 'an image'],
  [/^(input:checkbox|checkbox|switch)$/, 'a checkbox'],
  [/^(input:radio|radio|option)$/, 'an option'],
  [/^(tab|label|summary)$/, 'a $&'],
  [/^menuitem\w*$/, 'a menu item'],
];

/** What a person reading the flag would call it: its text in quotes, else what kind of thing it is. */
export function describePress(p: Press): string {
  const target = p.target;
  if (target?.text) return `'${target.text}'`;
  const kind = target?.role || target?.kind || '';
  for (const [pattern, noun] of NOUNS) if (pattern.test(kind)) return kind.replace(pattern, noun);
  return p.disabled && !target ? 'a disabled control' : 'an element';
}
