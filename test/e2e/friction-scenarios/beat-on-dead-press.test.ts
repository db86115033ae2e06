import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../../../server/src/analysis/page-signals';
import { beatOnDeadPress } from './beat-on-dead-press';
import type { Scenario } from './scenario';

const scenario = (dead: string[]): Scenario => ({ name: 'x', path: '/x.html', expect: { dead_click: dead }, visit: async () => {} });
const tick = (t: number, ...nodes: number[]): PageSignal => ({ k: 'mutation', t, nodes, structural: false, size: 1 });
const press = (t: number, sel: string) => ({ k: 'click', t, x: 1, y: 1, sel, count: 1 }) as PageSignal;

describe('beatOnDeadPress', () => {
  // The clock page of a clean-clone run at load 8: its countdown ticked 35 ms after the dead press.
  const clock = [tick(169, 15), tick(1131, 15), tick(2166, 15), tick(3134, 15), tick(4136, 15), tick(5240, 15), press(6163, 'body>#remind'), tick(6198, 15)];

  it("finds the page's own tick within the prompt window after a labelled dead press", () => {
    expect(beatOnDeadPress(scenario(['#remind']), [clock])).toEqual(["the page's own change fell 35 ms after the dead press on body>#remind"]);
  });

  it('finds nothing when the tick falls later, or the visit expects no dead press', () => {
    const later = [...clock.slice(0, -1), tick(6290, 15)];
    expect(beatOnDeadPress(scenario(['#remind']), [later])).toEqual([]);
    expect(beatOnDeadPress(scenario([]), [clock])).toEqual([]);
  });

  it("finds an autoplay's slide on the page's beat that shows a node for the first time (a clean-clone run, Chromium 150)", () => {
    // Slides every 2 s; the arrow's press advanced the hero at once, then Notify was pressed and a slide followed 24 ms later.
    const visit = (notifyAt: number, slideAt: number) => [
      tick(1941, 14, 16),
      press(2642, 'body>#hero-next'),
      tick(2643, 16, 18),
      press(notifyAt, 'body>#notify'),
      tick(slideAt, 18, 20),
      tick(5940, 20, 14),
      tick(7944, 14, 16),
      tick(9940, 16, 18),
    ];
    expect(beatOnDeadPress(scenario(['#notify']), [visit(3916, 3940)])).toEqual(["the page's own change fell 24 ms after the dead press on body>#notify"]);
    // 276 ms off the beat, the same change is the press's to answer for: scored.
    expect(beatOnDeadPress(scenario(['#notify']), [visit(3640, 3664)])).toEqual([]);
  });

  it('leaves a prompt change to nodes the page had not changed on its own, or only next to a press, to be scored', () => {
    const ownChange = [...clock.slice(0, -1), tick(6198, 15, 40)];
    expect(beatOnDeadPress(scenario(['#remind']), [ownChange])).toEqual([]);
    const afterPresses = [press(1000, 'body>#other'), tick(1020, 40), press(6163, 'body>#remind'), tick(6198, 40)];
    expect(beatOnDeadPress(scenario(['#remind']), [afterPresses])).toEqual([]);
  });
});
