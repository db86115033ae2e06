import { describe, expect, it } from 'vitest';
import { ApiClient } from '../lib/api-client';
import { NO_FILTERS } from '../lib/session-filters';
import { deferred, errorReply, fakeFetch, type FakeReply } from '../testing/fake-fetch';
import { sessionSummary } from '../testing/session-summary';
import { SESSIONS_PAGE_SIZE, SessionsList } from './sessions-list.svelte';

const session = (id: string) => sessionSummary({ id });

function listWith(handler: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(handler);
  return { fake, list: new SessionsList(new ApiClient({ fetch: fake.fetch })) };
}

describe('SessionsList', () => {
  it('starts idle, shows loading, then the first page', async () => {
    const reply = deferred<FakeReply>();
    const { fake, list } = listWith(() => reply.promise);
    expect(list.status).toBe('idle');

    const loading = list.load('s1');
    expect(list.status).toBe('loading');
    reply.resolve({ json: { sessions: [session('a'), session('b')], nextCursor: 'c1' } });
    await loading;

    expect(list.status).toBe('ready');
    expect(list.sessions.map((s) => s.id)).toEqual(['a', 'b']);
    expect(list.hasMore).toBe(true);
    expect(list.isEmpty).toBe(false);
    expect(fake.requests[0]?.url).toBe(`/api/sessions?site=s1&limit=${SESSIONS_PAGE_SIZE}`);
  });

  it('is empty when the site has no sessions', async () => {
    const { list } = listWith(() => ({ json: { sessions: [], nextCursor: null } }));
    await list.load('s1');
    expect(list.isEmpty).toBe(true);
    expect(list.hasMore).toBe(false);
  });

  it('pages with the cursor until there is none left', async () => {
    const pages: Record<string, FakeReply> = {
      first: { json: { sessions: [session('a')], nextCursor: 'c1' } },
      c1: { json: { sessions: [session('b')], nextCursor: 'c2' } },
      c2: { json: { sessions: [session('c')], nextCursor: null } },
    };
    const { fake, list } = listWith((req) => pages[new URL(req.url, 'http://x').searchParams.get('before') ?? 'first']!);

    await list.load('s1');
    await list.loadMore();
    await list.loadMore();

    expect(list.sessions.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(list.hasMore).toBe(false);
    expect(fake.requests.map((r) => r.url)).toEqual([
      `/api/sessions?site=s1&limit=${SESSIONS_PAGE_SIZE}`,
      `/api/sessions?site=s1&limit=${SESSIONS_PAGE_SIZE}&before=c1`,
      `/api/sessions?site=s1&limit=${SESSIONS_PAGE_SIZE}&before=c2`,
    ]);
    await list.loadMore();
    expect(fake.requests).toHaveLength(3);
  });

  it('asks the server for the sort and filters, on the first page, the next ones and a reload', async () => {
    const { fake, list } = listWith((req) =>
      req.url.includes('before=') ? { json: { sessions: [session('b')], nextCursor: null } } : { json: { sessions: [session('a')], nextCursor: 'c1' } },
    );
    const filters = { ...NO_FILTERS, sort: 'score' as const, friction: ['rage_click' as const, 'error_loop' as const], minDuration: 30, errors: true };
    await list.load('s1', filters);
    await list.loadMore();
    await list.reload();

    const query = 'sort=score&friction=rage_click%2Cerror_loop&minDurationMs=30000&errors=true';
    expect(fake.requests.map((r) => r.url)).toEqual([
      `/api/sessions?site=s1&${query}&limit=${SESSIONS_PAGE_SIZE}`,
      `/api/sessions?site=s1&${query}&limit=${SESSIONS_PAGE_SIZE}&before=c1`,
      `/api/sessions?site=s1&${query}&limit=${SESSIONS_PAGE_SIZE}`,
    ]);
  });

  it('shows an error and recovers on reload', async () => {
    let fail = true;
    const { list } = listWith(() =>
      fail ? errorReply(500, 'internal', 'db locked') : { json: { sessions: [session('a')], nextCursor: null } },
    );

    await list.load('s1');
    expect(list.status).toBe('error');
    expect(list.error).toBe('The server ran into a problem: db locked');

    fail = false;
    await list.reload();
    expect(list.status).toBe('ready');
    expect(list.error).toBeNull();
    expect(list.sessions).toHaveLength(1);
  });

  it('keeps loaded sessions when loading more fails', async () => {
    let calls = 0;
    const { list } = listWith(() =>
      ++calls === 1 ? { json: { sessions: [session('a')], nextCursor: 'c1' } } : new TypeError('offline'),
    );

    await list.load('s1');
    await list.loadMore();

    expect(list.status).toBe('ready');
    expect(list.sessions.map((s) => s.id)).toEqual(['a']);
    expect(list.loadMoreError).toMatch(/^Could not reach/);
    expect(list.loadingMore).toBe(false);
    expect(list.hasMore).toBe(true);
  });

  it('drops a slow answer for a site that is no longer selected', async () => {
    const slow = deferred<FakeReply>();
    const { list } = listWith((req) =>
      req.url.includes('site=old') ? slow.promise : { json: { sessions: [session('new')], nextCursor: null } },
    );

    const first = list.load('old');
    await list.load('new');
    slow.resolve({ json: { sessions: [session('stale')], nextCursor: 'x' } });
    await first;

    expect(list.sessions.map((s) => s.id)).toEqual(['new']);
    expect(list.hasMore).toBe(false);
  });
});
