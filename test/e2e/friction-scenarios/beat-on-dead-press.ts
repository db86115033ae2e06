// Finds a labelled dead press that the page's own ticking answered by chance: the visit did not happen as its label says.
import type { PageSignal } from '../../../server/src/analysis/page-signals';
import { CLICK_BEAT_TOLERANCE_MS, CLICK_BUSY_MS, CLICK_PROMPT_MS } from '../../../server/src/detectors/detector-thresholds';
import type { Scenario } from './scenario';

/**
 * A dead press changes nothing, so a change within CLICK_PROMPT_MS after it can only be the page's
 * own (a countdown's tick, an autoplay's slide) falling there. The detector counts a prompt change
 * of a node whose rhythm it has not learnt as the press's answer, by design, so that a carousel's
 * own arrow is never flagged dead; on a starved machine the page's timers drift until a tick lands
 * there. Such a visit is run again rather than scored. Only the page's own changes count: to nodes
 * it had already changed on its own, away from any press, or on its own beat (a whole number of
 * periods, within CLICK_BEAT_TOLERANCE_MS each, from its changes away from any press: an autoplay's
 * next slide shows a node for the first time). A dead button that itself changes the page promptly,
 * every time, is still scored, and its miss still shows.
 */
export function beatOnDeadPress(scenario: Scenario, pages: readonly PageSignal[][]): string[] {
  const dead = new Set(scenario.expect.dead_click ?? []);
  if (dead.size === 0) return [];
  const found: string[] = [];
  for (const signals of pages) {
    const presses = signals.filter((s) => s.k === 'click').map((s) => s.t);
    const pressNear = (t: number) => presses.some((press) => Math.abs(t - press) <= CLICK_PROMPT_MS);
    for (const click of signals) {
      if (click.k !== 'click' || ![...dead].some((selector) => click.sel.includes(selector))) continue;
      const ownBefore = new Set(signals.flatMap((s) => (s.k === 'mutation' && s.t < click.t && !pressNear(s.t) ? s.nodes : [])));
      const own = signals.filter((s) => s.k === 'mutation' && !pressNear(s.t)).map((s) => s.t);
      const tick = signals.find(
        (s) => s.k === 'mutation' && s.t > click.t && s.t <= click.t + CLICK_PROMPT_MS && (s.nodes.every((node) => ownBefore.has(node)) || onOwnBeat(own, s.t)),
      );
      if (tick) found.push(`the page's own change fell ${tick.t - click.t} ms after the dead press on ${click.sel}`);
    }
  }
  return found;
}

/**
 * Whether `t` falls on the beat of the page's own changes `own` (ascending): three at least, at a
 * period of CLICK_BUSY_MS or more (their shortest gap), every gap a whole number of periods.
 */
function onOwnBeat(own: readonly number[], t: number): boolean {
  if (own.length < 3) return false;
  const gaps = own.slice(1).map((time, i) => time - own[i]!);
  const period = Math.min(...gaps);
  const offBy = (span: number) => {
    const periods = Math.max(1, Math.round(Math.abs(span) / period));
    return Math.abs(Math.abs(span) - periods * period) / periods;
  };
  if (period < CLICK_BUSY_MS || gaps.some((gap) => offBy(gap) > CLICK_BEAT_TOLERANCE_MS)) return false;
  const nearest = own.reduce((best, time) => (Math.abs(time - t) < Math.abs(best - t) ? time : best));
  return offBy(t - nearest) <= CLICK_BEAT_TOLERANCE_MS;
}
