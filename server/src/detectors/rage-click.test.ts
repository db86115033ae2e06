import { describe, expect, it } from 'vitest';
import type { DetectedFriction } from './detected-friction';
import { detectRageClicks } from './rage-click';
import {
  LINK,
  TEXT,
  at,
  click,
  clicks,
  effect,
  end,
  field,
  input,
  mutation,
  page,
  selection,
  snapshot,
  ticking,
} from './testing/click-signals';

const details = (flag: DetectedFriction | undefined) => (flag?.type == 'rage_click' ? flag.details : undefined);

describe('detectRageClicks', () => {
  it('flags fast clicks on one button that changed nothing, with the evidence', () => {
    const flags = detectRageClicks(page([clicks(1000, 4, 300), end(5000)]));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ type: 'rage_click', ts: at(1000), url: '', selector: '#apply' });
    expect(flags[0]!.reason).toBe("4 clicks in 0.9 s on 'Apply' and nothing on the page changed.");
    expect(details(flags[0])).toEqual({
      clicks: 4,
      durationMs: 900,
      clickTimes: [at(1000), at(1300), at(1600), at(1900)],
      targetText: 'Apply',
      clicksWithEffect: 0,
    });
  });

  it('leaves a stepper alone: every click changed its number', () => {
    const presses = clicks(1000, 5, 200, { sel: '#qty-plus', target: { kind: 'button', text: '+', pointer: true } });
    const answers = presses.map((c) => mutation(c.t - at(0) + 15, [42]));
    expect(detectRageClicks(page([presses, answers, end(5000)]))).toEqual([]);
  });

  it('leaves a slow stepper alone after earlier clicks on it: their answers are not background', () => {
    // Its number changes 150 ms after each click (a server round trip): too late to pass as a prompt change on a background node.
    const stepper = (t: number) => [click(t, { sel: '#qty-plus' }), mutation(t + 150, [42])];
    const burst = [4000, 4400, 4800, 5200].flatMap(stepper);
    expect(detectRageClicks(page([stepper(0), stepper(1500), burst, ticking(0, 8000, 1000), end(8000)]))).toEqual([]);
  });

  it('finds rage on a page whose clock ticks through the burst', () => {
    const flags = detectRageClicks(page([ticking(0, 9000, 1000), clicks(5000, 4, 300), end(9000)]));
    expect(details(flags[0])).toMatchObject({ clicks: 4, clicksWithEffect: 0 });
  });

  it('finds rage beside a running animation (a node changing every 50 ms)', () => {
    const flags = detectRageClicks(page([ticking(0, 9000, 50, 950), clicks(5000, 3, 300), end(9000)]));
    expect(details(flags[0])).toMatchObject({ clicks: 3, clicksWithEffect: 0 });
  });

  describe('a carousel that also autoplays (its slides change every 3 s)', () => {
    const autoplay = [0, 3000, 6000, 9000, 12000].map((t) => mutation(t, [700, 701]));
    const arrow = { sel: '#next', target: { kind: 'button', text: 'Next slide', pointer: true } };

    it('is not rage when each arrow click advanced it', () => {
      const presses = clicks(10000, 4, 300, arrow);
      const advances = presses.map((c) => mutation(c.t - at(0) + 20, [700, 701]));
      expect(detectRageClicks(page([autoplay, presses, advances, end(14000)]))).toEqual([]);
    });

    it('is not rage either when the burst starts just after an autoplay slide', () => {
      const presses = clicks(9300, 3, 300, arrow);
      const advances = presses.map((c) => mutation(c.t - at(0) + 20, [700, 701]));
      expect(detectRageClicks(page([autoplay, presses, advances, end(14000)]))).toEqual([]);
    });

    it('is rage when the arrow did nothing, even with an autoplay tick right at a click', () => {
      const flags = detectRageClicks(page([autoplay, clicks(11700, 3, 300, arrow), end(14000)]));
      expect(details(flags[0])).toMatchObject({ clicks: 3, clicksWithEffect: 0 });
    });
  });

  it('leaves pagination and a growing list alone: each click added nodes', () => {
    const presses = clicks(2000, 4, 400, { sel: '#more', target: { kind: 'button', text: 'Load more', pointer: true } });
    const pages = presses.map((c, i) => mutation(c.t - at(0) + 120, [800, 5000 + i * 10, 5001 + i * 10], true));
    expect(detectRageClicks(page([mutation(100, [800, 900]), presses, pages, end(6000)]))).toEqual([]);
  });

  it('leaves a switch flipped back and forth alone', () => {
    const presses = clicks(1000, 4, 250, { sel: '#dark-mode', target: { kind: 'input:checkbox', pointer: true } });
    const flips = presses.map((c, i) => input(c.t - at(0) + 5, 310, i % 2 == 0));
    expect(detectRageClicks(page([presses, flips, end(4000)]))).toEqual([]);
  });

  it('leaves a triple click that selected a paragraph alone', () => {
    const presses = clicks(1000, 3, 150, { sel: 'main>p:nth-of-type(2)', target: TEXT });
    expect(detectRageClicks(page([presses, selection(1140), selection(1290), end(4000)]))).toEqual([]);
  });

  it('leaves a double click to edit alone (the cell turned into a field)', () => {
    const presses = clicks(1000, 3, 150, { sel: '#cell-3', target: { kind: 'td', text: '42' } });
    const edit = [mutation(1160, [610, 9000], true), field(1170, 'focus', 'input:text', '#cell-3-input')];
    expect(detectRageClicks(page([presses, edit, end(4000)]))).toEqual([]);
  });

  it("flags a burst the browser counted past a triple click, its second and third clicks' selections being the browser's, not answers", () => {
    // Recorded on the demo's product photo: a double and a triple click select the text nearest the pointer.
    const presses = clicks(1000, 5, 250, { sel: '#promo', target: { kind: 'div', text: 'Get 10% off', pointer: true } });
    const flags = detectRageClicks(page([presses, selection(1240), selection(1490), end(5000)]));
    expect(details(flags[0])).toMatchObject({ clicks: 5, clicksWithEffect: 0 });
    expect(flags[0]!.reason).toBe("5 clicks in 1 s on 'Get 10% off' and nothing on the page changed.");
  });

  it('flags a submit pressed again and again while its first press was being answered', () => {
    const flags = detectRageClicks(page([clicks(1000, 4, 300), mutation(1010, [77]), end(5000)]));
    expect(details(flags[0])).toMatchObject({ clicks: 4, clicksWithEffect: 1 });
  });

  it('needs most clicks unanswered: 2 of 4 answered is not rage', () => {
    const presses = clicks(1000, 4, 300);
    expect(detectRageClicks(page([presses, mutation(1010, [77]), mutation(1610, [77]), end(5000)]))).toEqual([]);
  });

  it('waits until the data reaches 1 s past the last click of a live page', () => {
    const presses = clicks(1000, 3, 300);
    expect(detectRageClicks(page([presses, mutation(2500, [5])], false))).toEqual([]);
    expect(detectRageClicks(page([presses, mutation(2600, [5])], false))).toHaveLength(1);
  });

  it('leaves a burst alone when the page load ended or the recording restarted within 1 s of it', () => {
    expect(detectRageClicks(page([clicks(1000, 3, 200, { target: LINK, sel: '#ship' }), end(1800)]))).toEqual([]);
    expect(detectRageClicks(page([clicks(1000, 3, 200), snapshot(1900), end(9000)]))).toEqual([]);
  });

  it('flags a link pressed again and again while the next page was slow to come', () => {
    const flags = detectRageClicks(page([clicks(1000, 3, 200, { target: LINK, sel: '#ship' }), end(4000)]));
    expect(flags[0]).toMatchObject({ selector: '#ship' });
  });

  it('leaves modifier clicks and clicks in a text field alone', () => {
    expect(detectRageClicks(page([clicks(1000, 4, 200, { modifier: true }), end(5000)]))).toEqual([]);
    const inField = { sel: '#email', target: { kind: 'input:email', editable: true } };
    expect(detectRageClicks(page([clicks(1000, 4, 200, inField), end(5000)]))).toEqual([]);
  });

  it('needs the clicks within 30 px of the first, and on one control', () => {
    const drifting = [0, 1, 2].map((i) => click(1000 + i * 200, { x: 200 + i * 20 }));
    expect(detectRageClicks(page([drifting, end(5000)]))).toEqual([]);
    const minus = { sel: '#minus', target: { kind: 'button', text: '−', pointer: true } };
    const plus = { sel: '#plus', x: 220, target: { kind: 'button', text: '+', pointer: true } };
    const neighbours = [click(1000, minus), click(1200, plus), click(1400, minus)];
    expect(detectRageClicks(page([neighbours, end(5000)]))).toEqual([]);
  });

  it("names the burst by the control's common ancestor when the clicks hit its icon and its label", () => {
    const presses = [click(1000, { sel: '#apply>svg' }), click(1200, { sel: '#apply>span' }), click(1400, { sel: '#apply' })];
    expect(detectRageClicks(page([presses, end(5000)]))[0]).toMatchObject({ selector: '#apply' });
  });

  it('flags presses on a natively disabled button, which send no click', () => {
    const presses = [1000, 1300, 1600].map((t) => effect(t, 'disabled-press', '#pay'));
    const flags = detectRageClicks(page([presses, end(5000)]));
    expect(flags[0]).toMatchObject({ ts: at(1000), selector: '#pay' });
    expect(flags[0]!.reason).toBe('3 clicks in 0.6 s on a disabled control, and nothing on the page changed.');
    expect(details(flags[0])).toMatchObject({ clicks: 3, disabled: true });
  });

  it('counts an aria-disabled press once: the disabled effect marks the click that follows it', () => {
    const presses = [1000, 1300, 1600].flatMap((t) => [effect(t - 80, 'disabled-press', '#apply'), click(t)]);
    const flags = detectRageClicks(page([presses, end(5000)]));
    expect(details(flags[0])).toMatchObject({ clicks: 3, disabled: true, clickTimes: [at(1000), at(1300), at(1600)] });
    expect(flags[0]!.reason).toBe("3 clicks in 0.6 s on 'Apply' while it was disabled, and nothing on the page changed.");
  });
});
