// @vitest-environment jsdom
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionSummary } from '../lib/contract';
import { deferred, errorReply, type FakeReply } from '../testing/fake-fetch';
import { renderListViews, type RenderedViews } from '../testing/render-list-views';
import { sessionSummary } from '../testing/session-summary';

let view: RenderedViews | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
});

const T0 = Date.UTC(2026, 2, 3, 14, 5);
const page = (sessions: SessionSummary[], nextCursor: string | null = null): FakeReply => ({ json: { sessions, nextCursor } });
const many = (count: number, from = 0) => Array.from({ length: count }, (_, i) => sessionSummary({ id: `s-${from + i}`, startedAt: T0 - (from + i) * 60_000 }));

function render(hash: string, sessions: (url: URL) => FakeReply | Promise<FakeReply>): RenderedViews {
  view = renderListViews(hash, (_request, url) => sessions(url));
  return view;
}

const rows = (target: HTMLElement) => [...target.querySelectorAll<HTMLLIElement>('ol[aria-label="Sessions"] > li')];
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const labelled = (target: HTMLElement, label: string) =>
  [...target.querySelectorAll('label')].find((l) => text(l).startsWith(label))?.querySelector<HTMLInputElement & HTMLSelectElement>('input, select');

function change(control: HTMLInputElement | HTMLSelectElement, value: string | boolean): void {
  if (typeof value === 'boolean') (control as HTMLInputElement).checked = value;
  else control.value = value;
  control.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

describe('SessionsView', () => {
  it('shows loading, then rows with start, duration, pages, device and browser, friction badges, score and the watched mark', async () => {
    const reply = deferred<FakeReply>();
    const { target } = render('#/', () => reply.promise);
    await vi.waitFor(() => expect(target.querySelector('[role="status"][aria-label="Loading sessions…"]')).not.toBeNull());

    reply.resolve(
      page([
        sessionSummary({
          id: 'rage1',
          startedAt: T0,
          durationMs: 125_000,
          pageCount: 3,
          device: 'mobile',
          browser: 'Mobile Safari',
          browserVersion: '17.4',
          friction: { rage_click: 2, dead_click: 0, form_abandonment: 1, error_loop: 0 },
          firstFrictionAt: { rage_click: T0 + 10_000, form_abandonment: T0 + 1_000 },
          frustrationScore: 9,
          watchedAt: T0 + 3_600_000,
        }),
        sessionSummary({ id: 'calm1', startedAt: T0 - 60_000, entryUrl: 'not a url <b>hi</b>' }),
      ]),
    );
    await vi.waitFor(() => expect(rows(target)).toHaveLength(2));
    const [rage, calm] = rows(target);

    expect(text(rage)).toContain('2m 05s');
    expect(text(rage)).toContain('3 pages');
    expect(text(rage)).toContain('Mobile · Mobile Safari 17');
    expect(text(rage)).toContain('9.0');
    const badges = [...rage!.querySelectorAll<HTMLAnchorElement>('a.badge')];
    expect(badges.map((b) => [text(b), b.getAttribute('aria-label'), b.getAttribute('href')])).toEqual([
      ['Rage2', '2 rage clicks: watch the first', '#/sessions/rage1?t=7000'],
      ['Form1', '1 abandoned form: watch the first', '#/sessions/rage1?t=0'],
    ]);
    const open = rage!.querySelector<HTMLAnchorElement>('a.open')!;
    expect(open.getAttribute('href')).toBe('#/sessions/rage1');
    expect(text(open)).toMatch(/✓ , watched$/);

    expect(calm!.querySelectorAll('a.badge')).toHaveLength(0);
    expect(text(calm!.querySelector('a.open'))).toMatch(/, not watched yet$/);
    expect(text(calm)).toContain('–');
    // Recorded text is shown as text, never as markup.
    expect(text(calm)).toContain('not a url <b>hi</b>');
    expect(calm!.querySelector('b')).toBeNull();
  });

  it('keeps only the rows near the viewport in the DOM for 5,000 sessions, and follows the scroll', async () => {
    const { target } = render('#/', () => page(many(5000)));
    await vi.waitFor(() => expect(rows(target).length).toBeGreaterThan(0));
    const first = rows(target);
    expect(first.length).toBeLessThan(60);
    expect(first[0]!.getAttribute('aria-setsize')).toBe('5000');
    expect(first[0]!.getAttribute('aria-posinset')).toBe('1');

    // jsdom has no layout: move the list 1,000 estimated rows above the viewport by hand.
    const list = target.querySelector<HTMLOListElement>('ol[aria-label="Sessions"]')!;
    list.getBoundingClientRect = () => ({ top: -56 * 1000 }) as DOMRect;
    window.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(rows(target)[0]!.getAttribute('aria-posinset')).toBe('991'));
    expect(rows(target).length).toBeLessThan(60);
    expect(text(rows(target)[9])).toContain(text(target.querySelector(`a[href="#/sessions/s-999"]`)));
  });

  it('loads more with the cursor when the end of the list comes near', async () => {
    const { target, queries } = render('#/?sort=longest', (url) =>
      url.searchParams.get('before') === 'c1' ? page(many(5, 20), 'c2') : url.searchParams.get('before') === 'c2' ? page(many(5, 25)) : page(many(20), 'c1'),
    );
    // Twenty rows, then five, leave the end within a screen: each next page comes without asking.
    await vi.waitFor(() => expect(text(target)).toContain("That's all 30 sessions."));
    expect(rows(target)[0]!.getAttribute('aria-setsize')).toBe('30');
    expect(queries('/api/sessions').map((q) => [q.get('sort'), q.get('before')])).toEqual([
      ['longest', null],
      ['longest', 'c1'],
      ['longest', 'c2'],
    ]);
  });

  it('loads more with the button, keeping the sort and filters', async () => {
    const { target, queries } = render('#/?friction=dead_click', (url) => (url.searchParams.get('before') === 'c1' ? page(many(5, 40)) : page(many(40), 'c1')));
    await vi.waitFor(() => expect(text(target)).toContain('40+ sessions'));
    expect(queries('/api/sessions')).toHaveLength(1);
    [...target.querySelectorAll('button')].find((b) => text(b) === 'Load more sessions')!.click();
    await vi.waitFor(() => expect(text(target)).toContain("That's all 45 sessions."));
    expect(queries('/api/sessions').map((q) => [q.get('friction'), q.get('before')])).toEqual([
      ['dead_click', null],
      ['dead_click', 'c1'],
    ]);
  });

  it('turns each control into the route and asks the server for the filtered list', async () => {
    const { target, queries } = render('#/', () => page(many(3)));
    await vi.waitFor(() => expect(rows(target)).toHaveLength(3));

    change(labelled(target, 'Sort')!, 'score');
    await vi.waitFor(() => expect(window.location.hash).toBe('#/?site=s1&sort=score'));
    change(labelled(target, 'Abandoned forms')!, true);
    await vi.waitFor(() => expect(window.location.hash).toBe('#/?site=s1&sort=score&friction=form_abandonment'));
    change(labelled(target, 'Page URL contains')!, '/checkout');
    change(labelled(target, 'Started from')!, '2026-03-01');
    change(labelled(target, 'Min duration (seconds)')!, '30');
    change(labelled(target, 'Device')!, 'mobile');
    change(labelled(target, 'Browser')!, 'Firefox');
    change(labelled(target, 'User id')!, 'user-42');
    change(labelled(target, 'Watched')!, 'false');
    change(labelled(target, 'With JavaScript errors')!, true);
    change(labelled(target, 'Identified visitors only')!, true);
    await vi.waitFor(() => expect(window.location.hash).toContain('identified=1'));

    expect(window.location.hash).toBe(
      '#/?site=s1&sort=score&friction=form_abandonment&url=%2Fcheckout&from=2026-03-01&minDuration=30&device=mobile&browser=Firefox&errors=1&identified=1&user=user-42&watched=0',
    );
    await vi.waitFor(() => expect(queries('/api/sessions').at(-1)?.get('identified')).toBe('true'));
    expect(Object.fromEntries(queries('/api/sessions').at(-1)!)).toEqual({
      site: 's1',
      sort: 'score',
      friction: 'form_abandonment',
      url: '/checkout',
      from: String(new Date(2026, 2, 1).getTime()),
      minDurationMs: '30000',
      device: 'mobile',
      browser: 'Firefox',
      errors: 'true',
      identified: 'true',
      user: 'user-42',
      watched: 'false',
      limit: '100',
    });
    // The controls show the route's filters.
    expect(labelled(target, 'Abandoned forms')!.checked).toBe(true);
    expect(labelled(target, 'Device')!.value).toBe('mobile');
  });

  it('reads the filters from the address, and opens rows at their first matching friction', async () => {
    const session = sessionSummary({ id: 'f1', startedAt: T0, friction: { rage_click: 1, dead_click: 2, form_abandonment: 0, error_loop: 0 }, firstFrictionAt: { rage_click: T0 + 60_000, dead_click: T0 + 20_000 } });
    const { target, queries } = render('#/?site=s1&friction=rage_click', () => page([session]));
    await vi.waitFor(() => expect(rows(target)).toHaveLength(1));
    expect(queries('/api/sessions')[0]!.get('friction')).toBe('rage_click');
    expect(labelled(target, 'Rage clicks')!.checked).toBe(true);
    expect(target.querySelector('a.open')!.getAttribute('href')).toBe('#/sessions/f1?t=57000');
  });

  it('says when nothing was recorded yet, and when nothing matches the filters, with a way to clear them', async () => {
    const first = render('#/', () => page([]));
    await vi.waitFor(() => expect(text(first.target)).toContain('No sessions recorded for Shop yet'));
    first.destroy();

    const { target } = render('#/?site=s1&sort=score&errors=1', () => page([]));
    await vi.waitFor(() => expect(text(target)).toContain('No sessions match these filters'));
    const clear = [...target.querySelectorAll('section button')].find((b) => text(b) === 'Clear filters') as HTMLButtonElement;
    clear.click();
    await vi.waitFor(() => expect(window.location.hash).toBe('#/?site=s1&sort=score'));
  });

  it('shows the server\'s error and loads again on retry', async () => {
    let fail = true;
    const { target } = render('#/', () => (fail ? errorReply(400, 'invalid_request', 'Invalid query parameter "user": too long') : page(many(1))));
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')).not.toBeNull());
    expect(text(target.querySelector('[role="alert"]'))).toContain("Couldn't load sessions");
    expect(text(target.querySelector('[role="alert"]'))).toContain('"user": too long');
    fail = false;
    (target.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(rows(target)).toHaveLength(1));
  });

  it('keeps the rows and offers a retry when loading more fails', async () => {
    const { target } = render('#/', (url) => (url.searchParams.get('before') ? new TypeError('offline') : page(many(40), 'c1')));
    await vi.waitFor(() => expect(rows(target).length).toBeGreaterThan(0));
    const more = [...target.querySelectorAll('button')].find((b) => text(b) === 'Load more sessions')!;
    more.click();
    await vi.waitFor(() => expect(text(target)).toContain('Try loading more again'));
    expect(text(target.querySelector('.more [role="alert"]'))).toMatch(/^Could not reach the frictionlens server/);
    expect(text(target)).toContain('40+ sessions');
  });
});
