// Finds a labelled dead press that the page's own ticking answered by chance: the visit did not happen as its label says.
import type { MutationSignal, PageSignal } from '../../../server/src/analysis/page-signals';
import { readClickPage } from '../../../server/src/detectors/click-page';
import { CLICK_ANSWER_DEFAULTS, CLICK_PROMPT_MS } from '../../../server/src/detectors/detector-thresholds';
import { learnPageBeat, onBeat } from '../../../server/src/detectors/page-beat';
import type { Scenario } from './scenario';

/**
 * The detector's own page beat (page-beat.ts), learnt from the page's changes away from any press,
 * held to CLICK_BEAT_TOLERANCE_MS a period instead of a tenth of it: only a change right on the beat
 * is taken for the page's.
 */
const STRICT_BEAT = { ...CLICK_ANSWER_DEFAULTS, pageBeatJitter: 0 };

/**
 * A dead press changes nothing, so a change within CLICK_PROMPT_MS after it can only be the page's
 * own (a countdown's tick, an autoplay's slide) falling there. The detector counts a prompt change
 * of a node whose rhythm it has not learnt as the press's answer, by design, so that a carousel's
 * own arrow is never flagged dead; on a starved machine the page's timers drift until a tick lands
 * there. Such a visit is run again rather than scored. Only the page's own changes count: to nodes
 * it had already changed on its own, away from any press, or on its own beat (STRICT_BEAT:
 * an autoplay's next slide shows a node for the first time). A dead button that itself changes the
 * page promptly, every time, is still scored, and its miss still shows.
 */
export function beatOnDeadPress(scenario: Scenario, pages: readonly PageSignal[][]): string[] {
  const dead = new Set(scenario.expect.dead_click ?? []);
  if (dead.size === 0) return [];
  const found: string[] = [];
  for (const signals of pages) {
    const presses = signals.filter((s) => s.k === 'click').map((s) => s.t);
    const pressNear = (t: number) => presses.some((press) => Math.abs(t - press) <= CLICK_PROMPT_MS);
    const page = readClickPage({ url: '', signals, complete: true }, STRICT_BEAT);
    for (const click of signals) {
      if (click.k !== 'click' || ![...dead].some((selector) => click.sel.includes(selector))) continue;
      const ownBefore = new Set(signals.flatMap((s) => (s.k === 'mutation' && s.t < click.t && !pressNear(s.t) ? s.nodes : [])));
      const beat = learnPageBeat(page, click.t, click.t);
      const own = (s: MutationSignal) => s.nodes.every((node) => ownBefore.has(node)) || (!!beat && onBeat(beat, s.t));
      const tick = signals.find((s) => s.k === 'mutation' && s.t > click.t && s.t <= click.t + CLICK_PROMPT_MS && own(s));
      if (tick) found.push(`the page's own change fell ${tick.t - click.t} ms after the dead press on ${click.sel}`);
    }
  }
  return found;
}

