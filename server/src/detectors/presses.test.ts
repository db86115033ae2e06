import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { pressRanges } from './click-page';
import { commonSelector, describePress, findPresses, isAncestorOrSelf, sameTarget, type Press } from './presses';
import { at, click, effect } from './testing/click-signals';

const press = (over: Partial<Press>): Press => ({ t: 0, sel: '#a', count: 1, modifier: false, disabled: false, ...over });

describe('findPresses', () => {
  it('marks the click that follows a disabled-press effect on the same element, within 1 s', () => {
    const presses = findPresses([effect(900, 'disabled-press', '#apply'), click(1000, { sel: '#apply>span' })], 1000);
    expect(presses).toEqual([expect.objectContaining({ t: at(1000), sel: '#apply>span', disabled: true, x: 200 })]);
  });

  it('keeps a disabled press without a click of its own (a natively disabled control) as a press without position', () => {
    const presses = findPresses([effect(500, 'disabled-press', '#pay'), effect(1000, 'disabled-press', '#apply'), click(2100)], 1000);
    expect(presses.map((p) => [p.t - at(0), p.sel, p.disabled, p.x])).toEqual([
      [500, '#pay', true, undefined],
      [1000, '#apply', true, undefined],
      [2100, '#apply', false, 200],
    ]);
  });
});

describe('findPresses: where a press starts', () => {
  const down = (t: number): PageSignal => ({ k: 'pointerdown', t: at(t) });

  it('takes the last pointer down before a click, within the hold limit, as its start', () => {
    const presses = findPresses([down(900), down(950), click(1000), click(1300), down(2000), click(4500)], 1000, 2000);
    expect(presses.map((p) => (p.downT === undefined ? undefined : p.downT - at(0)))).toEqual([950, undefined, undefined]);
  });
});

describe('pressRanges', () => {
  it('starts each press at its pointer down when known, else at its lead, and ends it where the next starts', () => {
    const presses = [{ t: 1000, downT: 990 }, { t: 1200 }, { t: 1300, downT: 1290 }];
    expect(pressRanges(presses, 250, 2000)).toEqual([
      [990, 1100],
      [1100, 1290],
      [1290, 3301],
    ]);
    expect(pressRanges([{ t: 1000 }], 250, 2000)).toEqual([[750, 3001]]);
  });
});

describe('selectors', () => {
  it('relates an ancestor to its descendants at a > boundary only', () => {
    expect(isAncestorOrSelf('#a', '#a>span')).toBe(true);
    expect(isAncestorOrSelf('#a', '#a')).toBe(true);
    expect(isAncestorOrSelf('#a', '#ab')).toBe(false);
    expect(isAncestorOrSelf('', '#a')).toBe(false);
  });

  it('finds the common ancestor, or the first selector when there is none', () => {
    expect(commonSelector(['#cart>li:nth-of-type(2)>button>svg', '#cart>li:nth-of-type(2)>button>span'])).toBe('#cart>li:nth-of-type(2)>button');
    expect(commonSelector(['#a>b', '#c'])).toBe('#a>b');
    expect(commonSelector(['#a'])).toBe('#a');
  });

  it('takes an icon and a label of the same named control as one target', () => {
    const target = { kind: 'button', text: 'Apply' };
    expect(sameTarget(press({ sel: '#apply>svg', target }), press({ sel: '#apply>span', target }))).toBe(true);
    expect(sameTarget(press({ sel: '#x>svg', target: { kind: 'button' } }), press({ sel: '#y', target: { kind: 'button' } }))).toBe(false);
  });
});

describe('describePress', () => {
  it("names a press by its text, else by what kind of control it is", () => {
    expect(describePress(press({ target: { kind: 'button', text: 'Apply' } }))).toBe("'Apply'");
    expect(describePress(press({ target: { kind: 'div', role: 'button' } }))).toBe('a button');
    expect(describePress(press({ target: { kind: 'img' } }))).toBe('an image');
    expect(describePress(press({ target: { kind: 'li', role: 'menuitemcheckbox' } }))).toBe('a menu item');
    expect(describePress(press({ target: { kind: 'label' } }))).toBe('a label');
    expect(describePress(press({ target: { kind: 'div' } }))).toBe('an element');
    expect(describePress(press({ disabled: true }))).toBe('a disabled control');
  });
});
