// Published dead/slow-click test cases of other tools, ported as facts (their inputs and expected outcomes, not their code).
// Where our definition differs, the test asserts our outcome and says why.
import { describe, expect, it } from 'vitest';
import type { ClickTargetInfo } from '../../../recorder/src/wire/format';
import type { PageSignal } from '../analysis/page-signals';
import { detectDeadClicks } from './dead-click';
import { at, click, clicks, effect, end, error, input, mutation, page, scroll, selection } from './testing/click-signals';

const BUTTON: ClickTargetInfo = { kind: 'button', text: 'Trigger mutation', pointer: true };
/** Times (ms from 0) of the dead flags for these signals on a page that ended at 20 s. */
const dead = (...signals: Array<PageSignal | PageSignal[]>) => detectDeadClicks(page([...signals, end(20_000)])).map((f) => f.ts - at(0));
/** A click at 1000 ms on an element of this kind, nothing answering it, and (for links) a later press that was answered. */
const deadOn = (target: ClickTargetInfo, sel = '#target') =>
  dead(click(1000, { target, sel }), click(8000, { sel: '#later', x: 900 }), mutation(8010, [9])).includes(1000);

// getsentry/sentry-javascript packages/replay-internal/test/unit/coreHandlers/handleClick.test.ts
// (ClickDetector with threshold 1 s, timeout 3 s, scrollTimeout 200 ms; ignoreElement).
describe('Sentry handleClick.test.ts', () => {
  it('captures a single click on a button that nothing answered', () => {
    expect(dead(click(1000, { target: BUTTON }))).toEqual([1000]);
  });

  it('captures clicks at 0, 200 and 1200 ms on one button as two slow clicks (the 200 ms one joins the first)', () => {
    // Ours: one flag for the presses under 1 s apart (both times in clickTimes), one for the click at 1200.
    expect(dead(click(0, { target: BUTTON }), click(200, { target: BUTTON }), click(1200, { target: BUTTON }))).toEqual([0, 1200]);
  });

  it('captures clicks on three different buttons at the same time as three', () => {
    const buttons = [1, 2, 3].map((n) => click(1000, { sel: `#b${n}`, x: n * 200, target: { kind: 'button', text: `Button ${n}` } }));
    expect(dead(buttons)).toEqual([1000, 1000, 1000]);
  });

  it('ignores clicks on divs', () => {
    const divs = [1, 2, 3].map((n) => click(1000, { sel: `#d${n}`, x: n * 200, target: { kind: 'div', text: `Box ${n}` } }));
    expect(dead(divs)).toEqual([]);
  });

  it('does not consider a click with a mutation at 500 ms slow', () => {
    expect(dead(click(1000), mutation(1500))).toEqual([]);
  });

  it('DIFFERS: a mutation at 2 s is slow with their 1 s threshold; within our 2 s window it is an answer', () => {
    // Sentry's shipped default threshold is 3 s, which agrees with us.
    expect(dead(click(1000), mutation(3000))).toEqual([]);
  });

  it('caps the timeout: a mutation at 5 s leaves the click slow', () => {
    expect(dead(click(1000), mutation(6000))).toEqual([1000]);
  });

  it('does not consider a click with a scroll at 150 ms slow', () => {
    expect(dead(click(1000), scroll(1150))).toEqual([]);
  });

  it('DIFFERS: a scroll at 300 ms is too late for their 200 ms scroll timeout; ours is 300 ms (their default)', () => {
    expect(dead(click(1000), scroll(1300))).toEqual([]);
    expect(dead(click(1000), scroll(1301))).toEqual([1000]);
  });

  // ignoreElement: [element, attributes, ignored]. Not ignored means a slow click when nothing answers.
  it.each<[string, ClickTargetInfo, boolean]>([
    ['div', { kind: 'div', text: 'Box' }, false],
    ['button', { kind: 'button', text: 'Go' }, true],
    ['a', { kind: 'a', text: 'More' }, true],
    ['input', { kind: 'input:text', editable: true }, false],
    ['input type=text', { kind: 'input:text', editable: true }, false],
    ['input type=button', { kind: 'input:button', text: 'Go' }, true],
    ['input type=submit', { kind: 'input:submit', text: 'Send' }, true],
    ['a target=_self', { kind: 'a', text: 'More' }, true],
    ['a target=_blank', { kind: 'a', text: 'More', href: 'https://other.test/', newTab: true }, false],
    // Ours: an href link is dead when the visitor pressed something else before the page navigated (deadOn does).
    ['a href=xx', { kind: 'a', text: 'More', href: 'https://shop.test/xx' }, true],
  ])('ignoreElement: <%s> can be a slow click: %s', (_, target, slow) => {
    expect(deadOn(target)).toBe(slow);
  });

  it('ignoreElement: <a download> is ignored; ours is answered by the download effect the recorder sends', () => {
    const download = { kind: 'a', text: 'Invoice', href: 'https://shop.test/invoice.pdf' };
    expect(dead(click(1000, { target: download }), effect(1001, 'download'), click(8000, { sel: '#later' }), mutation(8010, [9]))).toEqual([]);
  });
});

// getsentry/sentry-javascript dev-packages/browser-integration-tests/suites/replay/slowClick/* on
// template.html (slowClickTimeout 3.5 s): mutation, scroll, timeout, windowOpen, clickTargets, ignore.
describe('Sentry replay slowClick integration suites', () => {
  it('mutation after 3001 ms: slow click', () => expect(dead(click(1000), mutation(4001))).toEqual([1000]));
  it('immediate mutation: no slow click', () => expect(dead(click(1000), mutation(1001))).toEqual([]));
  it('mutation on mousedown, before the click event: no slow click', () => expect(dead(click(1000), mutation(940))).toEqual([]));
  it('immediate smooth scroll: no slow click', () => expect(dead(click(1000), scroll(1016), scroll(1166), scroll(1316))).toEqual([]));
  it('scroll after 3001 ms: slow click', () => expect(dead(click(1000), scroll(4001))).toEqual([1000]));
  it('mutation after 3501 ms: slow click', () => expect(dead(click(1000), mutation(4501))).toEqual([1000]));
  // console.log is not a page signal; an error is the nearest thing we record, and it shows the visitor nothing.
  it('console output only: slow click', () => expect(dead(click(1000), error(4001))).toEqual([1000]));
  it('window.open(): no slow click', () => expect(dead(click(1000), effect(1001, 'window-open'))).toEqual([]));
  it('input type=button and type=submit with preventDefault: slow click', () => {
    expect(deadOn({ kind: 'input:button', text: 'Input button' })).toBe(true);
    expect(deadOn({ kind: 'input:submit', text: 'Input submit' })).toBe(true);
  });
  it('input type=text: no slow click', () => expect(deadOn({ kind: 'input:text', editable: true })).toBe(false));
  it('link href="#" with preventDefault: slow click (ours: once the visitor pressed something else)', () => {
    const link = { kind: 'a', text: 'Link', href: 'https://shop.test/index.html' };
    expect(deadOn(link)).toBe(true);
    expect(dead(click(1000, { target: link, sel: '#link' }))).toEqual([]);
  });
  it('link with target=_blank: no slow click', () => expect(deadOn({ kind: 'a', text: 'Link external', href: 'https://shop.test/', newTab: true })).toBe(false));
  it('a div with a click handler: ignored', () => expect(deadOn({ kind: 'div', text: 'Trigger mutation' })).toBe(false));
});

// DataDog/browser-sdk packages/rum-core/src/domain/action/computeFrustration.spec.ts (isDead,
// computeFrustration) and createFakeClick (a click on the page body at 100, 100).
describe('Datadog computeFrustration.spec.ts (dead clicks)', () => {
  it('considers as dead a click without page activity', () => expect(dead(click(1000))).toEqual([1000]));
  it('does not consider as dead a click with page activity', () => expect(dead(click(1000), mutation(1050))).toEqual([]));
  it('does not consider as dead a click followed by an input event', () => expect(dead(click(1000), input(1010))).toEqual([]));

  it('adds a dead frustration to the click without activity among clicks that are not rage', () => {
    expect(dead(click(1000), mutation(1010), click(4000, { sel: '#other', x: 700, target: { kind: 'button', text: 'Other' } }))).toEqual([4000]);
  });

  it('does not add a dead frustration when double clicking to select a word', () => {
    const double = clicks(1000, 2, 120, { target: { kind: 'span', text: 'Gift card', pointer: true } });
    expect(dead(double, selection(1110))).toEqual([]);
  });

  it.each<[string, ClickTargetInfo, boolean]>([
    ['<input />', { kind: 'input:text', editable: true }, false],
    ['<textarea />', { kind: 'textarea', editable: true }, false],
    ['<input type="checkbox" />', { kind: 'input:checkbox' }, true],
    ['<input type="password" />', { kind: 'input:password', editable: true }, false],
    ['<canvas />', { kind: 'canvas' }, false],
    ['<a id="foo">Foo</a>', { kind: 'a', text: 'Foo' }, true],
    ['<div contenteditable>Foo bar</div>', { kind: 'div', text: 'Foo bar', editable: true }, false],
    ['<div contenteditable>Foo<span target>bar</span></div>', { kind: 'div', text: 'Foobar', editable: true }, false],
  ])('isDead for a click without activity on %s: %s', (_, target, expected) => {
    expect(deadOn(target)).toBe(expected);
  });

  it.each<[string, string]>([
    ['<a href="foo">Foo</a>', '#foo'],
    ['<a href="foo">Foo<span target>bar</span></a>', '#foo>span'],
  ])('DIFFERS: a click without activity on %s is never dead to Datadog; ours is dead once the visitor pressed something else', (_, sel) => {
    // Datadog excludes every a[href] because it may open a tab or jump to a hash unseen; the recorder
    // tells us about new tabs, and scrolls and hash route changes are answers, so a same-tab link that
    // led nowhere before the visitor moved on is a dead link. Without a later press it is not judged.
    const link = { kind: 'a', text: 'Foobar', href: 'https://shop.test/foo' };
    expect(deadOn(link, sel)).toBe(true);
    expect(dead(click(1000, { target: link, sel }))).toEqual([]);
  });
});
