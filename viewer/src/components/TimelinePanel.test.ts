// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../lib/api-client';
import type { SessionTimeline, TimelineEntry } from '../lib/contract';
import { timelineItems, type TimelineItem } from '../lib/timeline-items';
import { SessionTimelineState } from '../state/session-timeline.svelte';
import { deferred, errorReply, fakeFetch, type FakeReply } from '../testing/fake-fetch';
import { reactiveProps } from '../testing/reactive-props.svelte';
import TimelinePanel from './TimelinePanel.svelte';

const T0 = 1_700_000_000_000;
const ENTRIES: TimelineEntry[] = [
  { kind: 'page', ts: T0, pageId: 'p1', url: 'https://shop.example/cart', title: 'Your cart', trigger: 'load' },
  { kind: 'click', ts: T0 + 4000, pageId: 'p1', selector: 'main>button', text: '<img src=x onerror=alert(1)>', target: 'button' },
  { kind: 'friction', ts: T0 + 4000, pageId: 'p1', type: 'rage_click', reason: '6 clicks in 1.2 s on “Pay”.', selector: 'main>button', url: 'https://shop.example/cart' },
  { kind: 'error', ts: T0 + 65_000, pageId: 'p1', message: 'TypeError: total is undefined', source: null, errorKind: 'error' },
];
const timeline = (entries: TimelineEntry[], extra: Partial<SessionTimeline> = {}): SessionTimeline => ({
  entries,
  limit: 1000,
  omitted: { page: 0, click: 0, error: 0, request: 0, friction: 0 },
  pendingBatches: 0,
  ...extra,
});

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  document.body.innerHTML = '';
});

function render(reply: () => FakeReply | Promise<FakeReply>, currentIndex = -1) {
  const state = new SessionTimelineState(new ApiClient({ fetch: fakeFetch(reply).fetch }));
  const chosen: TimelineItem[] = [];
  const props = reactiveProps({ currentIndex });
  const loading = state.load('sess0001');
  component = mount(TimelinePanel, {
    target: document.body,
    props: {
      timeline: state,
      get items() {
        return timelineItems(state.entries, T0);
      },
      get currentIndex() {
        return props.currentIndex;
      },
      disabled: false,
      onselect: (item: TimelineItem) => chosen.push(item),
      onretry: () => void state.load('sess0001'),
      heatmapHref: (url: string) => `#/heatmap?url=${encodeURIComponent(url)}`,
    },
  });
  flushSync();
  return { state, chosen, props, loading };
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const rows = () => [...document.querySelectorAll<HTMLButtonElement>('section ol > li > button')];

describe('TimelinePanel', () => {
  it('shows loading, then the entries in time order, each with its moment, what happened and the reason of a flag', async () => {
    const reply = deferred<FakeReply>();
    const { loading } = render(() => reply.promise);
    expect(text(document.querySelector('[role="status"]'))).toBe('Loading the timeline…');

    reply.resolve({ json: timeline(ENTRIES) });
    await loading;
    flushSync();
    expect(rows().map(text)).toEqual([
      '0:00 Opened Your cart /cart',
      '0:04 Clicked “<img src=x onerror=alert(1)>” main>button',
      '0:04 Rage click 6 clicks in 1.2 s on “Pay”.',
      '1:05 Error: TypeError: total is undefined',
    ]);
    // Recorded text is shown as text, never as markup.
    expect(document.querySelector('section img')).toBeNull();
    expect(document.querySelector<HTMLAnchorElement>('a.heatmap')!.getAttribute('href')).toBe('#/heatmap?url=https%3A%2F%2Fshop.example%2Fcart');
  });

  it('highlights the entry the replay has reached as it moves, and jumps to the one chosen', async () => {
    const { chosen, props, loading } = render(() => ({ json: timeline(ENTRIES) }), 0);
    await loading;
    flushSync();
    const current = () => rows().map((row) => row.getAttribute('aria-current'));
    expect(current()).toEqual(['true', null, null, null]);
    props.currentIndex = 2;
    flushSync();
    expect(current()).toEqual([null, null, 'true', null]);
    expect(rows()[2]!.classList.contains('current')).toBe(true);

    rows()[3]!.click();
    rows()[1]!.click();
    expect(chosen.map((item) => [item.label, item.seekMs])).toEqual([
      ['Error: TypeError: total is undefined', 65_000],
      ['Clicked “<img src=x onerror=alert(1)>”', 4000],
    ]);
  });

  it('says what was left out and what is still being analysed', async () => {
    const { loading } = render(() => ({ json: timeline(ENTRIES.slice(0, 2), { limit: 2, omitted: { page: 0, click: 1200, error: 3, request: 0, friction: 0 }, pendingBatches: 4 }) }));
    await loading;
    flushSync();
    const notes = [...document.querySelectorAll('p.note')].map(text);
    expect(notes).toEqual([
      '1,203 more entries are not listed: the list keeps the first 2 of each kind.',
      'Part of this session is still being analysed: its clicks, errors and friction appear here once it is.',
    ]);
  });

  it('has an empty state, and an error state whose retry loads again', async () => {
    const replies: FakeReply[] = [errorReply(500, 'internal', 'boom'), { json: timeline([]) }];
    const { state, loading } = render(() => replies.shift()!);
    await loading;
    flushSync();
    expect(text(document.querySelector('[role="alert"]'))).toBe("Couldn't load the timeline. The server ran into a problem: boom Try again");
    document.querySelector<HTMLButtonElement>('[role="alert"] button')!.click();
    await vi.waitFor(() => expect(state.status).toBe('ready'));
    flushSync();
    expect(text(document.querySelector('section p'))).toBe("Nothing recorded on this session's timeline yet.");
  });
});
