// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FormAbandonment, FormAbandonmentList, FormDropOff, FormList } from '../lib/contract';
import { deferred, errorReply, type FakeReply } from '../testing/fake-fetch';
import { renderListViews, type RenderedViews } from '../testing/render-list-views';

let view: RenderedViews | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 3, 14, 5);
const CHECKOUT = '#checkout-form';
const CHECKOUT_URL = 'https://shop.example/checkout.html';
const UK = 'Enter a valid postcode for United Kingdom, e.g. SW1A 1AA.';
/** Recorded text is the visitor's site's: markup in it must show as text. */
const HOSTILE = '<img src=x onerror="alert(1)">Bad <b>code</b>';

const FORMS: FormList = {
  from: 0,
  to: 1,
  forms: [
    { form: CHECKOUT, url: CHECKOUT_URL, started: 12, submitted: 4, abandoned: 8, abandonmentRate: 8 / 12 },
    { form: '#signup-form', url: 'https://shop.example/signup.html', started: 1, submitted: 0, abandoned: 1, abandonmentRate: 1 },
  ],
};

const DROP_OFF: FormDropOff = {
  from: 0,
  to: 1,
  summary: FORMS.forms[0]!,
  fields: [
    { field: '#postcode', label: 'Postcode', touched: 5, lastTouched: 5, errored: 5, topMessage: UK, topMessageSessions: 4 },
    { field: '#full-name', label: 'Full name', touched: 8, lastTouched: 3, errored: 0, topMessage: null, topMessageSessions: 0 },
    { field: '#email', label: null, touched: 8, lastTouched: 0, errored: 1, topMessage: HOSTILE, topMessageSessions: 1 },
  ],
};

const abandonment = (i: number, extra: Partial<FormAbandonment> = {}): FormAbandonment => ({
  sessionId: `s-${i}`,
  startedAt: T0 - i * 60_000,
  durationMs: 70_000,
  device: 'mobile',
  ts: T0 - i * 60_000 + 45_000,
  atMs: 42_000,
  dropOffField: '#postcode',
  dropOffLabel: 'Postcode',
  dropOffMessage: UK,
  ...extra,
});
const sessions = (list: FormAbandonment[], total = list.length, nextCursor: string | null = null): FakeReply => ({ json: { total, sessions: list, nextCursor } satisfies FormAbandonmentList });

type Api = (path: string, url: URL) => FakeReply | Promise<FakeReply>;
const normal: Api = (path, url) => {
  if (path === '/api/forms') return { json: FORMS };
  if (path === '/api/forms/drop-off') return { json: DROP_OFF };
  if (path === '/api/forms/sessions') return url.searchParams.get('field') === '#full-name' ? sessions([abandonment(9, { dropOffField: '#full-name', dropOffLabel: 'Full name', dropOffMessage: null })]) : sessions([abandonment(1), abandonment(2)]);
  return { status: 404, json: { error: { code: 'not_found', message: path } } };
};

function render(hash: string, api: Api = normal): RenderedViews {
  view = renderListViews(hash, (_request, url) => api(url.pathname, url));
  return view;
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const cells = (row: Element) => [...row.children].map(text);
const rankingRows = (target: HTMLElement) => [...target.querySelectorAll('section[aria-labelledby="form-ranking-title"] tbody tr')];
const fieldRows = (target: HTMLElement) => [...target.querySelectorAll('section[aria-labelledby="field-drop-off-title"] tbody tr')];
const replayLinks = (target: HTMLElement) => [...target.querySelectorAll<HTMLAnchorElement>('ul[aria-label="Abandoning sessions"] a')];
const checkoutHash = `#/forms?site=s1&form=${encodeURIComponent(CHECKOUT)}&url=${encodeURIComponent(CHECKOUT_URL)}`;

describe('FormsView', () => {
  it('shows loading, then the forms ranked with started, submitted, abandoned and the rate, over the last 30 days', async () => {
    const reply = deferred<FakeReply>();
    const before = Date.now();
    const { target, queries } = render('#/forms', (path, url) => (path === '/api/forms' ? reply.promise : normal(path, url)));
    await vi.waitFor(() => expect(text(target.querySelector('[role="status"]'))).toBe('Ranking forms…'));
    reply.resolve({ json: FORMS });

    await vi.waitFor(() => expect(rankingRows(target)).toHaveLength(2));
    // Form and page, abandoned, rate, started, submitted: the abandonment figures first, so they fit a phone.
    expect(cells(rankingRows(target)[0]!)).toEqual(['#checkout-form on /checkout.html /checkout.html', '8', '66.7%', '12', '4']);
    expect(cells(rankingRows(target)[1]!)).toEqual(['#signup-form on /signup.html /signup.html', '1', '100.0%', '1', '0']);
    const [params] = queries('/api/forms');
    expect(params!.get('site')).toBe('s1');
    expect(Number(params!.get('to')) - Number(params!.get('from'))).toBe(30 * DAY);
    expect(Number(params!.get('to'))).toBeGreaterThanOrEqual(before);
    expect(text(target)).toContain('Choose a form');
    expect(queries('/api/forms/drop-off')).toHaveLength(0);
  });

  it('opens a form picked in the ranking: its figures, its fields by drop-off with the message shown most, and focus on its heading', async () => {
    const { target, queries } = render('#/forms?site=s1');
    await vi.waitFor(() => expect(rankingRows(target)).toHaveLength(2));
    const link = rankingRows(target)[0]!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(checkoutHash);
    link.click();

    await vi.waitFor(() => expect(fieldRows(target)).toHaveLength(3));
    expect(window.location.hash).toBe(checkoutHash);
    expect(document.activeElement?.id).toBe('form-detail-title');
    expect(text(document.activeElement)).toBe('#checkout-form on /checkout.html');
    expect(rankingRows(target)[0]!.querySelector('a')!.getAttribute('aria-current')).toBe('true');
    expect([...target.querySelectorAll('dl.figures > div')].map((figure) => `${text(figure.querySelector('dt'))}: ${text(figure.querySelector('dd'))}`)).toEqual([
      'Started: 12',
      'Submitted: 4',
      'Abandoned: 8',
      'Abandonment rate: 66.7%',
    ]);

    expect(cells(fieldRows(target)[0]!)).toEqual(['Postcode #postcode Sessions that gave up at Postcode', '5 (62.5%)', '5', `“${UK}” (4 of 5)`, '5']);
    expect(cells(fieldRows(target)[1]!)).toEqual(['Full name #full-name Sessions that gave up at Full name', '3 (37.5%)', '0', '–', '8']);
    // Nobody gave up at the email: no sessions to list.
    expect(cells(fieldRows(target)[2]!).slice(0, 2)).toEqual(['#email', '0 (0.0%)']);
    const [dropOff] = queries('/api/forms/drop-off');
    expect(Object.fromEntries([...dropOff!].filter(([key]) => key !== 'from' && key !== 'to'))).toEqual({ site: 's1', form: CHECKOUT, url: CHECKOUT_URL });
  });

  it('lists the abandoning sessions, each opening its replay 3 s before the abandonment, and shows recorded markup as text', async () => {
    const { target } = render(checkoutHash);
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(2));
    expect(replayLinks(target).map((a) => a.getAttribute('href'))).toEqual(['#/sessions/s-1?t=42000', '#/sessions/s-2?t=42000']);
    expect(text(replayLinks(target)[0])).toMatch(/ · Mobile · replay from 0:42 of 1m 10s$/);
    expect(text(target.querySelector('ul[aria-label="Abandoning sessions"] li'))).toContain(`Gave up at Postcode, after “${UK}”`);
    expect(text(target.querySelector('#abandoning-title'))).toBe('Abandoning sessions (2)');

    await vi.waitFor(() => expect(fieldRows(target)).toHaveLength(3));
    expect(text(fieldRows(target)[2])).toContain(HOSTILE);
    expect(target.querySelector('img')).toBeNull();
    expect(target.querySelector('td b')).toBeNull();
  });

  it('narrows the sessions to a field from its row, without asking for the drop-off again, and widens them back', async () => {
    const { target, queries } = render(checkoutHash);
    await vi.waitFor(() => expect(fieldRows(target)).toHaveLength(3));
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(2));
    const link = [...fieldRows(target)[1]!.querySelectorAll('a')].find((a) => text(a).startsWith('Sessions'))!;
    expect(text(link)).toBe('Sessions that gave up at Full name');
    link.click();

    await vi.waitFor(() => expect(replayLinks(target).map((a) => a.getAttribute('href'))).toEqual(['#/sessions/s-9?t=42000']));
    expect(window.location.hash).toBe(`${checkoutHash}&field=%23full-name`);
    expect(text(target.querySelector('#abandoning-title'))).toBe('Sessions that gave up at Full name (1)');
    expect(queries('/api/forms/sessions').map((p) => p.get('field'))).toEqual([null, '#full-name']);
    expect(queries('/api/forms/drop-off')).toHaveLength(1);
    // The same range as the drop-off's figures.
    expect(queries('/api/forms/sessions')[1]!.get('from')).toBe(queries('/api/forms/drop-off')[0]!.get('from'));

    [...target.querySelectorAll('a')].find((a) => text(a) === 'Show every abandoning session')!.click();
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(2));
  });

  it('loads more sessions with the cursor, below the ones shown', async () => {
    const { target, queries } = render(checkoutHash, (path, url) => {
      if (path !== '/api/forms/sessions') return normal(path, url);
      return url.searchParams.get('before') === 'c1' ? sessions([abandonment(3)], 3) : sessions([abandonment(1), abandonment(2)], 3, 'c1');
    });
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(2));
    expect(text(target.querySelector('#abandoning-title'))).toBe('Abandoning sessions (3)');
    const more = [...target.querySelectorAll('button')].find((b) => text(b) === 'Show more sessions')!;
    more.click();
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(3));
    expect(replayLinks(target)[2]!.getAttribute('href')).toBe('#/sessions/s-3?t=42000');
    expect(queries('/api/forms/sessions')[1]!.get('before')).toBe('c1');
    expect([...target.querySelectorAll('button')].some((b) => text(b) === 'Show more sessions')).toBe(false);
  });

  it('says when no form was started in the period', async () => {
    const { target } = render('#/forms?days=7', (path, url) => (path === '/api/forms' ? { json: { ...FORMS, forms: [] } } : normal(path, url)));
    await vi.waitFor(() => expect(text(target)).toContain('No forms started, last 7 days'));
    expect(rankingRows(target)).toHaveLength(0);
  });

  it('says when nobody abandoned the chosen form', async () => {
    const { target } = render(checkoutHash, (path, url) => {
      if (path === '/api/forms/drop-off') return { json: { ...DROP_OFF, summary: { ...DROP_OFF.summary, started: 4, abandoned: 0, abandonmentRate: 0 }, fields: [] } };
      if (path === '/api/forms/sessions') return sessions([]);
      return normal(path, url);
    });
    await vi.waitFor(() => expect(text(target)).toContain('No visitor gave up on this form last 30 days.'));
    await vi.waitFor(() => expect(text(target)).toContain('No session abandoned this form in this period.'));
  });

  it('shows each failure with a retry that asks again', async () => {
    let fail = true;
    const { target } = render(checkoutHash, (path, url) => (fail && path !== '/api/sites' ? errorReply(500, 'internal', 'disk full') : normal(path, url)));
    await vi.waitFor(() => expect(target.querySelectorAll('[role="alert"]')).toHaveLength(3));
    expect([...target.querySelectorAll('[role="alert"] h2')].map(text)).toEqual(["Couldn't load the forms", "Couldn't load this form's drop-off", "Couldn't load the sessions"]);
    expect(text(target.querySelector('[role="alert"]'))).toContain('disk full');
    fail = false;
    for (const button of target.querySelectorAll<HTMLButtonElement>('[role="alert"] button')) button.click();
    await vi.waitFor(() => expect(rankingRows(target)).toHaveLength(2));
    await vi.waitFor(() => expect(fieldRows(target)).toHaveLength(3));
    await vi.waitFor(() => expect(replayLinks(target)).toHaveLength(2));
  });

  it('says so when the link names a site that does not exist', async () => {
    const { target, queries } = render('#/forms?site=gone');
    await vi.waitFor(() => expect(text(target)).toContain("This site doesn't exist"));
    expect(queries('/api/forms')).toHaveLength(0);
  });
});
