// A page's background before a press: nodes that change with nobody clicking (a ticking clock, an autoplaying carousel, an animation).
import type { MutationSignal } from '../analysis/page-signals';
import { firstAt, nearPress, type ClickPage } from './click-page';
import { learnPageBeat, onBeat, type PageBeat } from './page-beat';

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
  /** Nodes any change touched in the backgroundMs before the press began, by a press or not. */
  seen: Set<number>;
  /** Nodes a change not near any press touched since the last full snapshot: the page changed them on its own, once at least. */
  byPage: Set<number>;
  /** The page's beat around the span judged, when it has one (page-beat.ts). */
  beat?: PageBeat;
}

/**
 * Learns from the backgroundMs before `start` (back to the last full snapshot, whose ids are new),
 * leaving out changes near any press (they may be its answer). A node is background when such
 * changes touched it at least backgroundSpanMs apart: a one-off render is not background, a
 * recurring one is. For a burst, learning stops at its first press, so one press's answer is
 * never background to the next (a stepper's number changes on every click). `end` closes the span
 * judged (the last press's answer window), around which the page's beat is learnt. Which nodes the
 * page changed on its own at all is kept from the whole page load: a slide an autoplay showed once.
 * `pressStart` is when the first press began (its pointer down, when recorded): a change in its lead
 * before that is not its doing, and the nodes it touched count as seen before the press.
 */
export function learnBackground(page: ClickPage, start: number, end = start, pressStart = start - page.options.leadMs): Background {
  const { signals, seenBefore, options } = page;
  const touches = new Map<number, number[]>();
  const seen = new Set<number>();
  const byPage = new Set<number>();
  // Changes in the press's lead are near it, so they only add to seen, up to when the press began.
  for (let i = firstAt(signals, Math.max(start - options.leadMs, pressStart)) - 1; i >= 0; i--) {
    const s = signals[i]!;
    if (s.k == 'snapshot') break;
    if (s.k != 'mutation') continue;
    const recent = s.t >= start - options.backgroundMs;
    const alone = !nearPress(page, s.t);
    for (const node of oldNodes(s, seenBefore[i]!)) {
      if (alone) byPage.add(node);
      if (!recent) continue;
      seen.add(node);
      const times = alone ? touches.get(node) : undefined;
      if (alone && !times) touches.set(node, [s.t]);
      else if (times && times[times.length - 1] != s.t) times.push(s.t);
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
  return { start, nodes, seen, byPage, beat: learnPageBeat(page, start - options.leadMs, end) };
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
 * structural change made only of new nodes answers. A change after the first promptMs that falls on
 * the page's beat, to nodes that had all changed before the press, answers nothing either: an
 * autoplay's next slide. A node changing for the first time (a slow answer's text) still answers.
 * Nodes the page had changed on its own only once stand with the background nodes they change
 * with: the slide an autoplay showed once, turned off with the next one the carousel keeps turning.
 */
export function mutationAnswers(page: ClickPage, bg: Background, index: number, pressT: number): boolean {
  const m = page.signals[index] as MutationSignal;
  const nodes = oldNodes(m, page.seenBefore[index]!);
  if (nodes.length == 0) return m.structural;
  const { promptMs, beatToleranceMs } = page.options;
  if (bg.beat && m.t > pressT + promptMs && nodes.every((node) => bg.seen.has(node)) && onBeat(bg.beat, m.t)) return false;
  const withBackground = nodes.some((node) => bg.nodes.has(node)) && nodes.every((node) => bg.nodes.has(node) || bg.byPage.has(node));
  return (withBackground ? nodes.filter((node) => bg.nodes.has(node)) : nodes).some((node) => {
    const rhythm = bg.nodes.get(node);
    if (!rhythm) return true;
    if (m.t > pressT + promptMs || rhythm.busy) return false;
    if (rhythm.beat === undefined) return true;
    const phase = (m.t - rhythm.last) % rhythm.beat;
    return Math.min(phase, rhythm.beat - phase) > beatToleranceMs;
  });
}
