// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrictionSummary, FrictionTimeseries } from '../lib/contract';
import { deferred, errorReply, type FakeReply } from '../testing/fake-fetch';
import { renderListViews, type RenderedViews } from '../testing/render-list-views';

// jsdom has no canvas: a stand-in chart records what it was given to draw.
const drawn = vi.hoisted(() => [] as Array<{ series: string[]; data: number[][] }>);
vi.mock('uplot', () => ({
  default: class {
    static tzDate = (date: Date) => date;
    constructor(options: { series: Array<{ label?: string }> }, data: number[][], element: HTMLElement) {
      drawn.push({ series: options.series.slice(1).map((s) => s.label ?? ''), data });
      element.append('chart drawn');
    }
    setSize() {}
    destroy() {}
  },
}));

let view: RenderedViews | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
  drawn.length = 0;
});

const DAY = 86_400_000;
const zero = { rage_click: 0, dead_click: 0, form_abandonment: 0, error_loop: 0 };

const SUMMARY: FrictionSummary = {
  from: 0,
  to: 1,
  byType: {
    rage_click: { count: 12, sessions: 5 },
    dead_click: { count: 3, sessions: 1 },
    form_abandonment: { count: 1, sessions: 1 },
    error_loop: { count: 0, sessions: 0 },
  },
  byPage: [
    { url: 'https://shop.example/checkout', count: 13, sessions: 5, byType: { ...zero, rage_click: 12, form_abandonment: 1 } },
    { url: 'https://shop.example/product/1', count: 3, sessions: 1, byType: { ...zero, dead_click: 3 } },
  ],
  byTarget: [
    { type: 'rage_click', url: 'https://shop.example/checkout', selector: '#pay', text: 'Place <i>order</i>', count: 12, sessions: 5 },
    { type: 'form_abandonment', url: 'https://shop.example/checkout', selector: 'form#address', text: null, count: 1, sessions: 1 },
  ],
};

const SERIES: FrictionTimeseries = {
  from: Date.UTC(2026, 2, 1),
  to: Date.UTC(2026, 2, 3),
  bucket: 'day',
  buckets: [
    { start: Date.UTC(2026, 2, 1), counts: { ...zero, rage_click: 4 } },
    { start: Date.UTC(2026, 2, 2), counts: { ...zero, rage_click: 8, dead_click: 3, form_abandonment: 1 } },
  ],
};

function render(hash: string, answer: (path: string, url: URL) => FakeReply | Promise<FakeReply>, goals: unknown[] = []): RenderedViews {
  view = renderListViews(hash, (_request, url) => answer(url.pathname, url), { goals });
  return view;
}

const normal = (path: string) => ({ json: path.endsWith('/summary') ? SUMMARY : SERIES });
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const cells = (row: Element) => [...row.children].map(text);
const link = (root: Element, name: string) => [...root.querySelectorAll('a')].find((a) => text(a).startsWith(name))!;

describe('OverviewView', () => {
  it('shows loading, then totals per type linking to their sessions', async () => {
    const summary = deferred<FakeReply>();
    const { target } = render('#/overview', (path) => (path.endsWith('/summary') ? summary.promise : normal(path)));
    await vi.waitFor(() => expect(text(target)).toContain('Counting friction…'));
    summary.resolve({ json: SUMMARY });

    await vi.waitFor(() => expect(target.querySelector('ul[aria-label="Friction by type"]')).not.toBeNull());
    const cards = [...target.querySelectorAll('ul[aria-label="Friction by type"] a')];
    expect(cards.map(text)).toEqual(['Rage clicks 12 in 5 sessions', 'Dead clicks 3 in 1 session', 'Abandoned forms 1 in 1 session', 'Error loops 0 in 0 sessions']);
    const href = cards[0]!.getAttribute('href')!;
    expect(href).toMatch(/^#\/\?site=s1&friction=rage_click&from=\d{4}-\d{2}-\d{2}$/);
  });

  it('asks for the last 30 days by default and the chosen period after a change, kept in the route', async () => {
    const before = Date.now();
    const { target, queries } = render('#/overview?site=s1', normal);
    await vi.waitFor(() => expect(queries('/api/friction/timeseries')).toHaveLength(1));
    const [first] = queries('/api/friction/summary');
    expect(Number(first!.get('to')) - Number(first!.get('from'))).toBe(30 * DAY);
    expect(Number(first!.get('to'))).toBeGreaterThanOrEqual(before);

    const period = target.querySelector<HTMLSelectElement>('label.range select')!;
    period.value = '7';
    period.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(() => expect(queries('/api/friction/summary')).toHaveLength(2));
    expect(window.location.hash).toBe('#/overview?site=s1&days=7');
    const [, second] = queries('/api/friction/summary');
    expect(Number(second!.get('to')) - Number(second!.get('from'))).toBe(7 * DAY);
  });

  it('draws the series per type and gives the same numbers as a table', async () => {
    const { target } = render('#/overview', normal);
    await vi.waitFor(() => expect(drawn).toHaveLength(1));
    expect(drawn[0]!.series).toEqual(['Rage clicks', 'Dead clicks', 'Abandoned forms', 'Error loops']);
    expect(drawn[0]!.data).toEqual([[SERIES.buckets[0]!.start / 1000, SERIES.buckets[1]!.start / 1000], [4, 8], [0, 3], [0, 1], [0, 0]]);
    const chart = target.querySelector('[role="img"]')!;
    expect(chart.getAttribute('aria-label')).toBe('Friction per day, last 30 days: 12 rage clicks, 3 dead clicks, 1 abandoned form, 0 error loops');
    const table = [...target.querySelectorAll('figure table tbody tr')].map(cells);
    expect(table).toEqual([
      ['Mar 1', '4', '0', '0', '0'],
      ['Mar 2', '8', '3', '1', '0'],
    ]);
  });

  it('lists the pages and elements with most friction, linking to filtered sessions and to the page heatmap', async () => {
    const { target } = render('#/overview?site=s1', normal);
    await vi.waitFor(() => expect(target.querySelector('#top-pages')).not.toBeNull());

    const pages = [...target.querySelectorAll('section[aria-labelledby="top-pages"] tbody tr')];
    expect(pages.map((row) => text(row.querySelector('th')))).toEqual(['/checkout', '/product/1']);
    expect(cells(pages[0]!).slice(0, 6)).toEqual(['/checkout', '12', '–', '1', '–', '5']);
    expect(link(pages[0]!, 'Sessions').getAttribute('href')).toMatch(
      /^#\/\?site=s1&friction=rage_click%2Cform_abandonment&url=https%3A%2F%2Fshop\.example%2Fcheckout&from=[\d-]+$/,
    );
    expect(link(pages[0]!, 'Heatmap').getAttribute('href')).toBe('#/heatmap?site=s1&url=https%3A%2F%2Fshop.example%2Fcheckout&device=desktop&kind=all');
    expect(text(link(pages[1]!, 'Heatmap'))).toBe('Heatmap of /product/1');

    const elements = [...target.querySelectorAll('section[aria-labelledby="top-elements"] li')];
    expect(text(elements[0])).toContain('“Place <i>order</i>” #pay on /checkout 12 in 5 sessions');
    expect(elements[0]!.querySelector('i')).toBeNull();
    expect(link(elements[0]!, 'Heatmap').getAttribute('href')).toBe('#/heatmap?site=s1&url=https%3A%2F%2Fshop.example%2Fcheckout&device=desktop&kind=rage');
    expect(link(elements[1]!, 'Sessions').getAttribute('href')).toMatch(/friction=form_abandonment&url=https%3A%2F%2Fshop\.example%2Fcheckout/);
    expect(text(elements[1])).toContain('form#address on /checkout');
  });

  it('shows no impact ranking without a goal, and puts it first once the site has one', async () => {
    const first = render('#/overview', normal);
    await vi.waitFor(() => expect(first.target.querySelector('ul[aria-label="Friction by type"]')).not.toBeNull());
    expect(text(first.target)).not.toContain('Impact ranking');
    expect(first.target.querySelector('#impact-title')).toBeNull();
    first.destroy();

    const goal = { id: 'g1', siteId: 's1', name: 'Order placed', definition: { kind: 'page', pattern: '/thanks' }, createdAt: 0, job: null };
    const { target } = render('#/overview', (path) => (path === '/api/impact' ? deferred<FakeReply>().promise : normal(path)), [goal]);
    await vi.waitFor(() => expect(target.querySelector('#impact-title')).not.toBeNull());
    await vi.waitFor(() => expect(target.querySelector('ul[aria-label="Friction by type"]')).not.toBeNull());
    const impact = target.querySelector('#impact-title')!;
    const totals = target.querySelector('ul[aria-label="Friction by type"]')!;
    expect(impact.compareDocumentPosition(totals) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says when there was no friction in the period', async () => {
    const empty = { ...SUMMARY, byType: { rage_click: { count: 0, sessions: 0 }, dead_click: { count: 0, sessions: 0 }, form_abandonment: { count: 0, sessions: 0 }, error_loop: { count: 0, sessions: 0 } }, byPage: [], byTarget: [] };
    const { target } = render('#/overview?days=7', (path) => ({ json: path.endsWith('/summary') ? empty : { ...SERIES, buckets: [] } }));
    await vi.waitFor(() => expect(text(target)).toContain('No friction found, last 7 days'));
    expect(link(target, 'See all sessions').getAttribute('href')).toBe('#/?site=s1');
  });

  it('shows the error and loads again on retry', async () => {
    let fail = true;
    const { target } = render('#/overview', (path) => (fail && path.endsWith('/timeseries') ? errorReply(500, 'internal', 'disk full') : normal(path)));
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')).not.toBeNull());
    expect(text(target.querySelector('[role="alert"]'))).toContain("Couldn't load the overview");
    fail = false;
    (target.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(target.querySelector('#top-pages')).not.toBeNull());
  });

  it('says so when the link names a site that does not exist', async () => {
    const { target, queries } = render('#/overview?site=gone', normal);
    await vi.waitFor(() => expect(text(target)).toContain("This site doesn't exist"));
    expect(queries('/api/friction/summary')).toHaveLength(0);
  });
});
