// dead_click: a press on something that looks pressable after which nothing on the page answered.
import { LOOKED_FOR, navigatedIn, scanAnswers } from './click-answers';
import { clickBursts } from './click-bursts';
import { pressRanges, readClickPage, type ClickPage } from './click-page';
import type { DetectedFriction, DetectorInput } from './detected-friction';
import { DEAD_CLICK_DEFAULTS, type DeadClickOptions } from './detector-thresholds';
import { learnBackground } from './page-background';
import { commonSelector, describePress, isJudgeable, type Press } from './presses';
import { judgeRage, seconds, selecting } from './rage-click';

export { DEAD_CLICK_DEFAULTS };

/** Controls a visitor presses to make something happen. */
const PRESSABLE_KIND = /^(a|button|label|summary|img|input:(button|submit|reset|image|checkbox|radio))$/;
const PRESSABLE_ROLE = /^(button|link|tab|menuitem\w*|checkbox|radio|switch|option|treeitem)$/;
/** Native pickers open outside the page (file chooser, date, colour): the recorder's effect may be all there is to see. */
const PICKER_KIND = /^input:(file|date|time|month|week|datetime-local|color)$/;

/**
 * A press is dead when nothing answered it within windowMs (2 s; an answer after 800 ms is slow,
 * not dead): no DOM change (background set aside, page-background.ts), route change or page load
 * ending, no focus, selection or scroll right at it (those are also done by hand, so only within
 * 300 ms), no value or checked change, form submit or invalid field, and no click effect (popup,
 * file chooser, date picker, download, copy; a press on a disabled control is no answer, and is
 * flagged with `disabled: true`).
 *
 * Which presses can be dead: links, buttons, labels, images, checkboxes, radios, summaries, the
 * button-like roles, anything with a pointer cursor, and disabled controls. Not: plain text and
 * blank areas (people click to read or select), text fields, selects and contenteditable
 * (focusing them is the answer), native pickers, canvas and media, links to a new tab, presses with
 * a modifier key, and clicks sent without target info.
 *
 * Presses on one control under 1 s apart (click-bursts.ts) are judged together: one flag, with
 * all their times, only when none of them got an answer; a double or triple click that selected
 * text or focused a field is someone selecting or editing, not dead. A burst the rage detector flags is left
 * to it (rage wins), so a rage burst is not also reported as dead clicks.
 *
 * Not judged yet: the data does not reach windowMs past the last press. Not dead: the page load
 * ended within the window (a navigation, or the visitor left: we cannot tell), or the recording
 * restarted. A same-tab link is dead only if the visitor pressed something else before the page
 * navigated (a route change or the page load ending): a slow server is not a dead link.
 */
export function detectDeadClicks(input: DetectorInput, options: DeadClickOptions = DEAD_CLICK_DEFAULTS): DetectedFriction[] {
  const page = readClickPage(input, options.answers);
  const bursts = clickBursts(page.presses, options.rage);
  const flags: DetectedFriction[] = [];
  bursts.forEach((group, i) => {
    if (!group.some(canBeDead) || judgeRage(page, group, options.rage)) return;
    const background = judgeDead(page, group, bursts[i + 1]?.[0], options.rage);
    if (background !== undefined) flags.push(deadFlag(page, group, background));
  });
  return flags;
}

function canBeDead(p: Press): boolean {
  if (!isJudgeable(p)) return false;
  if (p.disabled) return true;
  const target = p.target;
  if (!target || target.newTab || PICKER_KIND.test(target.kind)) return false;
  return PRESSABLE_KIND.test(target.kind) || PRESSABLE_ROLE.test(target.role ?? '') || target.pointer === true;
}

/** The background changes set aside when the group is dead; undefined when it is answered or cannot be judged. */
function judgeDead(page: ClickPage, group: readonly Press[], next: Press | undefined, rage: DeadClickOptions['rage']): number | undefined {
  const { windowMs, leadMs } = page.options;
  const until = group[group.length - 1]!.t + windowMs;
  if (page.lastT < until) return undefined;
  const ranges = pressRanges(group, leadMs, windowMs);
  const bg = learnBackground(page, group[0]!.t, until, ranges[0]![0]);
  if (group.length > 1 && selecting(page, group, ranges[0]![0], rage)) return undefined;
  let background = 0;
  for (const [k, [from, to]] of ranges.entries()) {
    const scan = scanAnswers(page, bg, from, to, group[k]!);
    if (scan.answer || scan.ended) return undefined;
    background += scan.background;
  }
  const link = group.some((p) => p.target?.href);
  if (link && (!next || navigatedIn(page, until, next.t))) return undefined;
  return background;
}

function deadFlag(page: ClickPage, group: readonly Press[], background: number): DetectedFriction {
  const first = group[0]!;
  const named = group.find((p) => p.target?.text) ?? first;
  const disabled = group.some((p) => p.disabled);
  const times = group.length == 1 ? '' : group.length == 2 ? ' twice' : ` ${group.length} times`;
  const { windowMs } = page.options;
  return {
    type: 'dead_click',
    ts: first.t,
    url: '',
    selector: commonSelector(group.map((p) => p.sel)) || null,
    reason: `Clicked ${describePress(named)}${times}${disabled && named.target ? ' while it was disabled,' : ''} and nothing on the page changed within ${seconds(windowMs)}.`,
    details: {
      windowMs,
      ...(named.target?.text ? { targetText: named.target.text } : {}),
      ...(disabled ? { disabled: true as const } : {}),
      lookedFor: [...LOOKED_FOR],
      clickTimes: group.map((p) => p.t),
      backgroundChanges: background,
    },
  };
}
