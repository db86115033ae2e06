import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { readClickPage } from './click-page';
import { detectDeadClicks } from './dead-click';
import { CLICK_ANSWER_DEFAULTS } from './detector-thresholds';
import { learnPageBeat, onBeat } from './page-beat';
import { at, click, end, mutation, page } from './testing/click-signals';

const beatOf = (signals: PageSignal[], from: number, to: number) => learnPageBeat(readClickPage(page(signals), CLICK_ANSWER_DEFAULTS), at(from), at(to));

/**
 * Recorded in Chromium (test/fixtures/pages/scenarios/autoplay.html): a hero of four slides that
 * advances every 2 s, each advance a class change on two slides; the visitor pressed the arrow
 * (which advanced it at once) and then 'Notify me', which does nothing.
 */
const slides = (t: number, off: number, on: number) => mutation(t, [off, on]);
const down = (t: number) => ({ k: 'pointerdown', t: at(t) }) as PageSignal;
const ARROW = { sel: '#hero-next', target: { kind: 'button', text: '›', pointer: true } };
const NOTIFY = { sel: '#notify', target: { kind: 'button', text: 'Notify me', pointer: true } };
const AUTOPLAY_VISIT = [
  slides(1736, 14, 16),
  slides(3727, 16, 18),
  click(3840, ARROW),
  slides(3841, 18, 20),
  click(5197, NOTIFY),
  slides(5727, 20, 14),
  slides(7729, 14, 16),
  end(8807),
];

describe('learnPageBeat', () => {
  it('learns an autoplay from changes either side of the span judged, a hidden beat leaving a double gap', () => {
    const beat = beatOf(AUTOPLAY_VISIT, 4947, 7197);
    expect(beat?.times).toEqual([at(1736), at(3727), at(7729)]);
    expect(beat!.period).toBeCloseTo(1997.7, 1);
    expect(onBeat(beat!, at(5727))).toBe(true);
    expect(onBeat(beat!, at(5500))).toBe(false);
  });

  it('takes a beat whose timer fired late under load (1847 ms, then 1997 ms), a tenth of a period off at most', () => {
    const late = [mutation(1438), mutation(3285), click(5179), mutation(5180), mutation(5282), click(6954), mutation(7284), mutation(9304)];
    const beat = beatOf(late, 6704, 8954);
    expect(beat?.times).toEqual([at(1438), at(3285), at(5282), at(9304)]);
    expect(onBeat(beat!, at(7284))).toBe(true);
    expect(beatOf([mutation(0), mutation(2000), mutation(3500), mutation(6000)], 7000, 9000)).toBeUndefined();
  });

  it("leaves out a press's prompt answer: the arrow's own advance is no beat", () => {
    expect(beatOf(AUTOPLAY_VISIT, 4947, 7197)?.times).not.toContain(at(3841));
  });

  it('finds none in irregular changes, in an animation (every 50 ms), or in fewer than three changes', () => {
    expect(beatOf([mutation(0), mutation(1300), mutation(2000), mutation(5100)], 6000, 8000)).toBeUndefined();
    expect(beatOf(Array.from({ length: 40 }, (_, i) => mutation(i * 50)), 2500, 4000)).toBeUndefined();
    expect(beatOf([mutation(0), mutation(2000)], 3000, 5000)).toBeUndefined();
  });
});

describe('dead clicks on a page with a beat', () => {
  it("finds the dead 'Notify me' press although the autoplay's next slide came 530 ms after it", () => {
    const flags = detectDeadClicks(page(AUTOPLAY_VISIT));
    expect(flags.map((flag) => flag.selector)).toEqual(['#notify']);
  });

  it('finds it too when the autoplay ran late on a loaded machine (also recorded in Chromium)', () => {
    const late = [
      slides(1438, 14, 16),
      slides(3285, 16, 18),
      down(5174),
      click(5179, ARROW),
      slides(5180, 18, 20),
      slides(5282, 20, 14),
      down(6946),
      click(6954, NOTIFY),
      slides(7284, 14, 16),
      slides(9304, 16, 18),
      end(10_561),
    ];
    expect(detectDeadClicks(page(late)).map((flag) => flag.selector)).toEqual(['#notify']);
  });

  it('finds it when the autoplay ran too unevenly for a beat, by the slides that change with ones learnt as background', () => {
    // Recorded in Chromium on a machine loaded far past its cores: slides 1.87 to 2.25 s apart.
    const uneven = [
      slides(1456, 14, 16),
      slides(3419, 16, 18),
      slides(5667, 18, 20),
      down(6959),
      click(7135, ARROW),
      slides(7143, 20, 14),
      slides(7537, 14, 16),
      slides(9430, 16, 18),
      down(10_771),
      click(10_786, NOTIFY),
      slides(11_425, 18, 20),
      slides(13_477, 20, 14),
      end(14_498),
    ];
    expect(detectDeadClicks(page(uneven)).map((flag) => flag.selector)).toEqual(['#notify']);
  });

  it('finds it when the slide the page had changed on its own did so more than 10 s before the press', () => {
    // Recorded in Chromium on a loaded machine: node 14 last changed with nobody pressing at 1.5 s.
    const longAgo = [
      slides(1481, 14, 16),
      slides(3479, 16, 18),
      slides(6035, 18, 20),
      down(7367),
      click(7385, ARROW),
      slides(7385, 20, 14),
      slides(7604, 14, 16),
      slides(9472, 16, 18),
      slides(11_513, 18, 20),
      down(12_163),
      click(12_170, NOTIFY),
      slides(13_539, 20, 14),
      slides(15_601, 14, 16),
      end(16_849),
    ];
    expect(detectDeadClicks(page(longAgo)).map((flag) => flag.selector)).toEqual(['#notify']);
  });

  it('finds it when a slide came just before its pointer down, the first time that slide changed', () => {
    // Chromium 150: the autoplay's slide 95 ms before Notify's pointer down, inside the press's
    // 250 ms lead. Node 20 first changed there, so the next slide (20 off, 14 on) changed a node
    // the detector had not counted as seen before the press, and read as Notify's answer.
    const justBefore = [
      slides(2000, 14, 16),
      down(2545),
      click(2550, ARROW),
      slides(2551, 16, 18),
      slides(4000, 18, 20),
      down(4095),
      click(4100, NOTIFY),
      slides(6000, 20, 14),
      slides(8000, 14, 16),
      slides(10_000, 16, 18),
      end(11_000),
    ];
    expect(detectDeadClicks(page(justBefore)).map((flag) => flag.selector)).toEqual(['#notify']);
    // Without its pointer down, the press may have begun before that slide: the slide may be its answer.
    const keyboard = justBefore.filter((s) => !(s.k == 'pointerdown' && s.t == at(4095)));
    expect(detectDeadClicks(page(keyboard))).toEqual([]);
  });

  it('takes a slow answer on the beat as an answer when it changes a node that had not changed before', () => {
    const stock = mutation(5727, [300]);
    expect(detectDeadClicks(page([...AUTOPLAY_VISIT.filter((s) => s.t != at(5727)), stock]))).toEqual([]);
  });
});
