import { describe, expect, it } from 'vitest';
import type { ClickTargetInfo } from '../../../recorder/src/wire/format';
import { detectDeadClicks } from './dead-click';
import type { DetectedFriction } from './detected-friction';
import {
  LINK,
  TEXT,
  at,
  click,
  clicks,
  effect,
  end,
  error,
  field,
  input,
  mutation,
  page,
  scroll,
  selection,
  snapshot,
  submit,
  ticking,
  view,
} from './testing/click-signals';
import type { PageSignal } from '../analysis/page-signals';

const details = (flag: DetectedFriction | undefined) => (flag?.type == 'dead_click' ? flag.details : undefined);
/** One click at 1000 ms on `target`, then these signals, on a page that ended at 6 s. */
const after = (signals: PageSignal[], options: Parameters<typeof click>[1] = {}) => detectDeadClicks(page([click(1000, options), signals, end(6000)]));

describe('detectDeadClicks', () => {
  it('flags a button click that nothing answered within 2 s, with the evidence', () => {
    const flags = after([]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ type: 'dead_click', ts: at(1000), url: '', selector: '#apply' });
    expect(flags[0]!.reason).toBe("Clicked 'Apply' and nothing on the page changed within 2 s.");
    expect(details(flags[0])).toMatchObject({ windowMs: 2000, targetText: 'Apply', clickTimes: [at(1000)], backgroundChanges: 0 });
    expect(details(flags[0])!.lookedFor).toEqual(expect.arrayContaining(['dom-change', 'navigation', 'scroll', 'focus', 'input', 'copy']));
    expect(details(flags[0])).not.toHaveProperty('disabled');
  });

  it('takes a slow answer (1.5 s, or exactly 2 s) as an answer, and one after 2 s as none', () => {
    expect(after([mutation(2500)])).toEqual([]);
    expect(after([mutation(3000)])).toEqual([]);
    expect(after([mutation(3001)])).toHaveLength(1);
  });

  it('leaves a double click that selected a word alone, its second click being what selected it', () => {
    const word = { target: { kind: 'span', text: 'Gift card', pointer: true } };
    expect(detectDeadClicks(page([clicks(1000, 2, 120, word), selection(1125), end(6000)]))).toEqual([]);
  });

  it('takes a change at pointerdown, just before the click event, as its answer', () => {
    expect(after([mutation(900)])).toEqual([]);
    expect(after([mutation(700)])).toHaveLength(1);
  });

  it("takes a change before the press's recorded pointer down as no answer (an autoplay's slide just before a quick press)", () => {
    const down: PageSignal = { k: 'pointerdown', t: at(995) };
    expect(after([down, mutation(900)])).toHaveLength(1);
    expect(after([down, mutation(995)])).toEqual([]);
    // A long press: its pointer down 600 ms before the click, and the menu it opened there.
    expect(after([{ k: 'pointerdown', t: at(400) }, mutation(420)])).toEqual([]);
  });

  it('finds a dead click on a page whose clock ticks, and counts the ticks it set aside', () => {
    const flags = detectDeadClicks(page([ticking(0, 9000, 1000), click(5500), end(9000)]));
    expect(details(flags[0])).toMatchObject({ backgroundChanges: 2 });
  });

  it('takes a modal appended to a body other scripts also append to as an answer when it comes at once', () => {
    const pixels = [mutation(100, [2, 40], true), mutation(2300, [2, 41], true), mutation(3900, [2, 42], true)];
    const modal = mutation(5030, [2, 60, 61], true);
    expect(detectDeadClicks(page([pixels, click(5000), modal, end(9000)]))).toEqual([]);
    expect(detectDeadClicks(page([pixels, click(5000), end(9000)]))).toHaveLength(1);
  });

  it('does not judge a click the data does not reach 2 s past, nor one the page load ended within', () => {
    expect(detectDeadClicks(page([click(1000), error(2900)], false))).toEqual([]);
    expect(detectDeadClicks(page([click(1000), error(3000)], false))).toHaveLength(1);
    expect(detectDeadClicks(page([click(1000), error(2500)], true))).toEqual([]);
    expect(detectDeadClicks(page([click(1000), end(2500)]))).toEqual([]);
    expect(after([snapshot(1500)])).toEqual([]);
  });

  describe('which presses can be dead', () => {
    const flagged = (target: ClickTargetInfo | undefined, extra: Parameters<typeof click>[1] = {}) => after([], { target, ...extra }).length == 1;

    it('buttons, links without a target page, images, labels, checkboxes and anything with a pointer cursor', () => {
      expect(flagged({ kind: 'input:submit' })).toBe(true);
      expect(flagged({ kind: 'a' })).toBe(true);
      expect(flagged({ kind: 'img' })).toBe(true);
      expect(flagged({ kind: 'label', text: 'Gift wrap' })).toBe(true);
      expect(flagged({ kind: 'input:checkbox' })).toBe(true);
      expect(flagged({ kind: 'div', role: 'button', text: 'Continue' })).toBe(true);
      expect(flagged({ kind: 'div', text: 'Size guide', pointer: true })).toBe(true);
    });

    it('not plain text, text fields, native pickers, canvas, new-tab links, modifier clicks or clicks without target info', () => {
      expect(flagged(TEXT)).toBe(false);
      expect(flagged({ kind: 'input:email', editable: true })).toBe(false);
      expect(flagged({ kind: 'div', editable: true, text: 'Note' })).toBe(false);
      expect(flagged({ kind: 'input:file', pointer: true })).toBe(false);
      expect(flagged({ kind: 'input:date' })).toBe(false);
      expect(flagged({ kind: 'canvas', pointer: true })).toBe(false);
      expect(flagged({ ...LINK, newTab: true })).toBe(false);
      expect(flagged(undefined)).toBe(false);
      expect(flagged({ kind: 'button', text: 'Apply' }, { modifier: true })).toBe(false);
    });
  });

  it('takes the click effects as answers: copy, popup, file chooser, date picker, download', () => {
    for (const kind of ['copy', 'window-open', 'file-chooser', 'date-picker', 'download'] as const) expect(after([effect(1010, kind)])).toEqual([]);
  });

  it('flags a press on an aria-disabled control once, at its click, as disabled', () => {
    const flags = after([effect(920, 'disabled-press')]);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ ts: at(1000), selector: '#apply' });
    expect(details(flags[0])).toMatchObject({ disabled: true });
    expect(flags[0]!.reason).toBe("Clicked 'Apply' while it was disabled, and nothing on the page changed within 2 s.");
  });

  it('flags a press on a disabled control made just after the page loaded: its first snapshot is no restart', () => {
    // A quick visitor presses 147 ms after the page's first snapshot, within the lead a click gets.
    const flags = detectDeadClicks(page([snapshot(0), effect(147, 'disabled-press', '#pay'), end(2703)]));
    expect(flags).toHaveLength(1);
    expect(details(flags[0])).toMatchObject({ disabled: true });
  });

  it('flags a press on a natively disabled control, which sends no click', () => {
    const flags = detectDeadClicks(page([effect(1000, 'disabled-press', '#pay'), end(6000)]));
    expect(flags[0]).toMatchObject({ ts: at(1000), selector: '#pay' });
    expect(flags[0]!.reason).toBe('Clicked a disabled control and nothing on the page changed within 2 s.');
    expect(details(flags[0])).toMatchObject({ disabled: true });
  });

  it("takes a checkbox toggled through its label, a field focused by its label, and a form's submit or invalid field as answers", () => {
    const label = { target: { kind: 'label', text: 'I agree' }, sel: 'form>label' };
    expect(after([input(1005, 88, true)], label)).toEqual([]);
    expect(after([field(1004, 'change', 'input:checkbox')], label)).toEqual([]);
    expect(after([field(1003, 'focus')], label)).toEqual([]);
    expect(after([submit(1010)])).toEqual([]);
    expect(after([field(1010, 'invalid')])).toEqual([]);
  });

  it('does not take leaving a field (blur, a text change), an error, or a focus, selection or scroll long after as answers', () => {
    expect(after([field(990, 'blur'), field(990, 'change')])).toHaveLength(1);
    expect(after([error(1050)])).toHaveLength(1);
    expect(after([field(1800, 'focus'), selection(1900), scroll(2000)])).toHaveLength(1);
  });

  it('takes a selection ending at the click (a drag that selected text) and a scroll at once as answers', () => {
    expect(after([selection(960)])).toEqual([]);
    expect(after([scroll(1100)])).toEqual([]);
  });

  describe('same-tab links', () => {
    const ship = { target: LINK, sel: '#ship' };

    it('are live when the page load ends, whenever, before the visitor pressed anything else', () => {
      expect(detectDeadClicks(page([click(1000, ship), end(5000)]))).toEqual([]);
      expect(detectDeadClicks(page([click(1000, ship), mutation(4000, [3]), end(8000)]))).toEqual([]);
    });

    it('are dead when the visitor pressed something else before any navigation', () => {
      const flags = detectDeadClicks(page([click(1000, ship), click(4000, { sel: '#apply' }), mutation(4010, [9]), end(8000)]));
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ selector: '#ship', ts: at(1000) });
    });

    it('are live when they scrolled to an anchor or changed the route', () => {
      const later = [click(4000, { sel: '#apply' }), mutation(4010, [9])];
      expect(detectDeadClicks(page([click(1000, ship), scroll(1050), later, end(8000)]))).toEqual([]);
      expect(detectDeadClicks(page([click(1000, ship), view(1020, 'https://shop.test/cart#/shipping', 'hashchange'), later, end(8000)]))).toEqual(
        [],
      );
      expect(detectDeadClicks(page([click(1000, ship), view(3500), later, end(8000)]))).toEqual([]);
    });
  });

  it('judges presses on one control under 1 s apart together: one flag, both times', () => {
    const flags = detectDeadClicks(page([clicks(1000, 2, 300), end(6000)]));
    expect(flags).toHaveLength(1);
    expect(flags[0]!.reason).toBe("Clicked 'Apply' twice and nothing on the page changed within 2 s.");
    expect(details(flags[0])).toMatchObject({ clickTimes: [at(1000), at(1300)] });
    expect(detectDeadClicks(page([clicks(1000, 2, 300), mutation(1400), end(6000)]))).toEqual([]);
  });

  it('leaves a rage burst to the rage detector', () => {
    expect(detectDeadClicks(page([clicks(1000, 4, 200), end(6000)]))).toEqual([]);
  });

  it('leaves a double click that selected a word on a link alone', () => {
    const presses = clicks(1000, 2, 150, { target: { kind: 'a', text: 'Returns policy' } });
    expect(detectDeadClicks(page([presses, selection(1140), end(8000)]))).toEqual([]);
    expect(detectDeadClicks(page([presses, end(8000)]))).toHaveLength(1);
  });
});
