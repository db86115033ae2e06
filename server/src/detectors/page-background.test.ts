import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { readClickPage } from './click-page';
import { CLICK_ANSWER_DEFAULTS } from './detector-thresholds';
import { learnBackground, mutationAnswers } from './page-background';
import { at, click, mutation, page, ticking } from './testing/click-signals';

const learn = (signals: PageSignal[], start: number) => {
  const clickPage = readClickPage(page(signals), CLICK_ANSWER_DEFAULTS);
  return { clickPage, bg: learnBackground(clickPage, at(start)) };
};

describe('learnBackground', () => {
  it('learns a node that changed repeatedly, with its beat when regular', () => {
    const { bg } = learn([...ticking(0, 5000, 1000, 900), mutation(500, [901]), mutation(3500, [901]), mutation(4000, [901])], 6000);
    expect(bg.nodes.get(900)).toEqual({ last: at(4000), beat: 1000, busy: false });
    expect(bg.nodes.get(901)).toEqual({ last: at(4000), beat: undefined, busy: false });
  });

  it('leaves out one-off renders, changes near any press, and changes older than 10 s', () => {
    const { bg } = learn(
      [mutation(3000, [50]), mutation(3300, [50]), click(4000), mutation(4100, [51]), mutation(5900, [51]), mutation(100, [52]), mutation(9000, [52])],
      12_000,
    );
    expect([...bg.nodes.keys()]).toEqual([]);
  });

  it('learns an autoplay by the parent it adds to, not by the new nodes each slide brings', () => {
    const slides = [0, 3000, 6000].map((t, i) => mutation(t, [700, 1000 + i * 10, 1001 + i * 10], true));
    const { bg } = learn([mutation(0, [700, 1])], 0); // nothing before the start yet
    expect(bg.nodes.size).toBe(0);
    expect([...learn([mutation(-10, [700, 999]), ...slides], 8000).bg.nodes.keys()]).toEqual([700]);
  });
});

describe('mutationAnswers', () => {
  const clock = ticking(0, 9000, 1000, 900);
  const judge = (change: PageSignal, pressAt: number, before: PageSignal[] = clock) => {
    const signals = [...before, click(pressAt), change];
    const { clickPage, bg } = learn(signals, pressAt);
    const index = clickPage.signals.indexOf(change);
    return mutationAnswers(clickPage, bg, index, at(pressAt));
  };

  it('a change to a node that is not background answers', () => expect(judge(mutation(5520, [42]), 5500)).toBe(true));
  it('a clock tick on its beat does not, even right at the click', () => expect(judge(mutation(6000, [900]), 5950)).toBe(false));
  it('a background node changed off its beat right at the click answers', () => expect(judge(mutation(5520, [900]), 5500)).toBe(true));
  it('a background node changed after the first 100 ms does not', () => expect(judge(mutation(5700, [900]), 5500)).toBe(false));
  it('a busy node (changing every 50 ms up to the press) does not', () => {
    expect(judge(mutation(5510, [950]), 5500, ticking(0, 5300, 50, 950))).toBe(false);
  });
  it('a structural change made only of new nodes answers', () => expect(judge(mutation(5520, [7000, 7001], true), 5500)).toBe(true));
  it('a node the page changed on its own once does not, when it changes with a background node', () => {
    const once = [...clock, mutation(3000, [901])];
    expect(judge(mutation(5700, [900, 901]), 5500, once)).toBe(false);
    // Alone, or with a node never changed before, it answers.
    expect(judge(mutation(5700, [901]), 5500, once)).toBe(true);
    expect(judge(mutation(5700, [900, 901, 42]), 5500, once)).toBe(true);
  });
});
