// A page's background before a press: nodes that change with nobody clicking (a ticking clock, an autoplaying carousel, an animation).
import type { MutationSignal } from '../analysis/page-signals';
import { firstAt, nearPress, type ClickPage } from './click-page';

interface NodeRhythm {
  /** Its last background change. */
  last: number;
  /** The gap between its changes when they are regular (a clock's 1000 ms), else undefined. */
  beat?: number;
  /** It changes every busyMs or faster and was still changing just before the press: an animation running. */
  busy: boolean;
}

export interface Background {
  /** The first press the background was learnt for: changes before it, not near any press. */
  start: number;
  nodes: Map<number, NodeRhythm>;
}

/**
 * Learns from the backgroundMs before `start` (back to the last full snapshot, whose ids are new),
 * leaving out changes near any press (they may be its answer). A node is background when such
 * changes touched it at least backgroundSpanMs apart: a one-off render is not background, a
 * recurring one is. For a burst, learning stops at its first press, so one press's answer is
 * never background to the next (a stepper's number changes on every click).
 */
export function learnBackground(page: ClickPage, start: number): Background {
  const { signals, seenBefore, options } = page;
  const touches = new Map<number, number[]>();
  for (let i = firstAt(signals, start - options.leadMs) - 1; i >= 0; i--) {
    const s = signals[i]!;
    if (s.t < start - options.backgroundMs || s.k == 'snapshot') break;
    if (s.k != 'mutation' || nearPress(page, s.t)) continue;
    for (const node of oldNodes(s, seenBefore[i]!)) {
      const times = touches.get(node);
      if (!times) touches.set(node, [s.t]);
      else if (times[times.length - 1] != s.t) times.push(s.t);
    }
  }
  const nodes = new Map<number, NodeRhythm>();
  for (const [node, newestFirst] of touches) {
    const last = newestFirst[0]!;
    if (last - newestFirst[newestFirst.length - 1]! < options.backgroundSpanMs) continue;
    const gaps = newestFirst.slice(1).map((t, i) => newestFirst[i]! - t);
    const median = gaps.slice().sort((a, b) => a - b)[gaps.length >> 1]!;
    // A beat needs three changes at least: two gaps that agree.
    const regular = gaps.length >= 2 && gaps.every((gap) => Math.abs(gap - median) <= options.beatToleranceMs);
    const busy = median <= options.busyMs && last >= start - options.leadMs - options.busyMs;
    nodes.set(node, { last, beat: regular ? median : undefined, busy });
  }
  return { start, nodes };
}

/**
 * Nodes that existed before the change. A structural change lists added nodes by their parent,
 * and the inner parents of an added subtree (a new slide, a new feed item) are new each time:
 * they would make every autoplay look like an answer, so only older nodes speak for it.
 */
function oldNodes(m: MutationSignal, seenBefore: number): readonly number[] {
  return m.structural ? m.nodes.filter((node) => node <= seenBefore) : m.nodes;
}

/**
 * Whether the mutation at `index` answers the press at `pressT`: it changed a node that is not
 * background, or a background node promptly (the arrow of a carousel that also autoplays), unless
 * that node was busy just before the press or the change fell on its beat (a clock's tick). A
 * structural change made only of new nodes answers.
 */
export function mutationAnswers(page: ClickPage, bg: Background, index: number, pressT: number): boolean {
  const m = page.signals[index] as MutationSignal;
  const nodes = oldNodes(m, page.seenBefore[index]!);
  if (nodes.length == 0) return m.structural;
  const { promptMs, beatToleranceMs } = page.options;
  return nodes.some((node) => {
    const rhythm = bg.nodes.get(node);
    if (!rhythm) return true;
    if (m.t > pressT + promptMs || rhythm.busy) return false;
    if (rhythm.beat === undefined) return true;
    const phase = (m.t - rhythm.last) % rhythm.beat;
    return Math.min(phase, rhythm.beat - phase) > beatToleranceMs;
  });
}
