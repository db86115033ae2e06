import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_TIMEOUT_MS } from './wire/format';
import { ACTIVITY_WRITE_INTERVAL_MS, SESSION_LIVE_KEY, SESSION_STORAGE_KEY, createSessionStore, type SessionStore, type SessionStorageLike } from './session-store';

/** One tab: storage outlives page loads, the clock is ours to move. */
function fakeTab(start = 1_700_000_000_000) {
  const items = new Map<string, string>();
  const storage: SessionStorageLike & { clear(): void } = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    clear: () => items.clear(),
  };
  let ids = 0;
  let page: SessionStore | undefined;
  const tab = {
    time: start,
    storage,
    items,
    stored: () => JSON.parse(items.get(SESSION_STORAGE_KEY) ?? 'null'),
    /** A page load: the previous page's pagehide, then a new store over the same storage. */
    load: (sampleRate?: number, random?: () => number) => {
      page?.leave();
      return (page = createSessionStore({ storage, now: () => tab.time, createId: () => `session-${++ids}`, sampleRate, random }));
    },
  };
  return tab;
}

describe('createSessionStore', () => {
  it('starts a session at seq 0 on the first page load and persists it', () => {
    const tab = fakeTab();
    const store = tab.load();
    expect(store.sessionId).toBe('session-1');
    expect(tab.stored()).toEqual({ id: 'session-1', nextSeq: 0, lastActivityAt: tab.time, startedAt: tab.time, sampled: true });
  });

  it('hands out increasing seqs and continues them on the next page load', () => {
    const tab = fakeTab();
    const first = tab.load();
    expect([first.takeSeq(), first.takeSeq(), first.takeSeq()]).toEqual([0, 1, 2]);

    tab.time += 60_000;
    const second = tab.load();
    expect(second.sessionId).toBe('session-1');
    expect(second.takeSeq()).toBe(3);
    expect(tab.stored()).toMatchObject({ id: 'session-1', nextSeq: 4, lastActivityAt: tab.time, startedAt: tab.time - 60_000 });
  });

  it('resumes just under the idle timeout and renews at exactly the timeout', () => {
    const tab = fakeTab();
    tab.load().takeSeq();

    tab.time += SESSION_IDLE_TIMEOUT_MS - 1;
    const resumed = tab.load();
    expect(resumed.sessionId).toBe('session-1');
    expect(resumed.takeSeq()).toBe(1);

    tab.time += SESSION_IDLE_TIMEOUT_MS;
    const renewed = tab.load();
    expect(renewed.sessionId).toBe('session-2');
    expect(renewed.takeSeq()).toBe(0);
  });

  it('touch() keeps the session alive and reports expiry once the page idled 30 min', () => {
    const tab = fakeTab();
    const store = tab.load();
    tab.time += 20 * 60_000;
    expect(store.touch()).toBe(true);
    tab.time += 20 * 60_000;
    expect(store.touch()).toBe(true);
    expect(tab.stored().lastActivityAt).toBe(tab.time);

    tab.time += SESSION_IDLE_TIMEOUT_MS;
    expect(store.touch()).toBe(false);
    const renewed = store.renew();
    expect(renewed).toEqual({ id: 'session-2', nextSeq: 0, lastActivityAt: tab.time, startedAt: tab.time, sampled: true });
    expect(store.sessionId).toBe('session-2');
    expect(store.takeSeq()).toBe(0);
  });

  it('writes activity at most once per ACTIVITY_WRITE_INTERVAL_MS', () => {
    const tab = fakeTab();
    const store = tab.load();
    const started = tab.time;
    tab.time += ACTIVITY_WRITE_INTERVAL_MS - 1;
    store.touch();
    expect(tab.stored().lastActivityAt).toBe(started);
    tab.time += 1;
    store.touch();
    expect(tab.stored().lastActivityAt).toBe(started + ACTIVITY_WRITE_INTERVAL_MS);
  });

  it('sending batches alone is not activity: a reader idle 30 min gets a new session on the next load', () => {
    const tab = fakeTab();
    const store = tab.load();
    tab.time += SESSION_IDLE_TIMEOUT_MS;
    store.takeSeq();
    expect(tab.load().sessionId).toBe('session-2');
  });

  it('takes seqs another page of the tab used meanwhile (back/forward cache restore)', () => {
    const tab = fakeTab();
    const pageA = tab.load();
    expect(pageA.takeSeq()).toBe(0);
    const pageB = tab.load();
    expect([pageB.takeSeq(), pageB.takeSeq()]).toEqual([1, 2]);

    expect(pageA.resume()).toMatchObject({ id: 'session-1', nextSeq: 3 });
    expect(pageA.takeSeq()).toBe(3);
  });

  it('never goes back in seq when the site clears sessionStorage', () => {
    const tab = fakeTab();
    const store = tab.load();
    store.takeSeq();
    store.takeSeq();
    tab.storage.clear();
    expect(store.takeSeq()).toBe(2);
    expect(tab.stored()).toMatchObject({ id: 'session-1', nextSeq: 3, lastActivityAt: tab.time });
  });

  it('ignores a corrupt or foreign stored value and starts afresh', () => {
    for (const junk of ['not json', '{"id":"x","nextSeq":1,"lastActivityAt":1}', '{"id":"abcdefgh1","nextSeq":-1,"lastActivityAt":1}']) {
      const tab = fakeTab();
      tab.storage.setItem(SESSION_STORAGE_KEY, junk);
      const store = tab.load();
      expect(store.sessionId).toBe('session-1');
      expect(store.takeSeq()).toBe(0);
    }
  });

  it('draws the sample once per session: every page load of it agrees, a renewed session draws again', () => {
    const tab = fakeTab();
    const draws = [0.7, 0.2];
    const random = () => draws.shift()!;
    const first = tab.load(0.5, random);
    expect([first.sampled, tab.stored().sampled]).toEqual([false, false]);
    tab.time += 60_000;
    expect(tab.load(0.5, () => 0).sampled).toBe(false); // resumed: no new draw
    expect(tab.load(0.5, random).renew()).toMatchObject({ id: 'session-2', sampled: true });
    expect(draws).toEqual([]);
  });

  it('refuse() ends recording for the session on every later page load; the session after it idles out records again', () => {
    const tab = fakeTab();
    const first = tab.load();
    first.takeSeq();
    first.refuse();
    expect([first.sampled, tab.stored()]).toMatchObject([false, { id: 'session-1', nextSeq: 1, sampled: false }]);
    tab.time += 60_000;
    expect(tab.load()).toMatchObject({ sessionId: 'session-1', sampled: false });
    tab.time += SESSION_IDLE_TIMEOUT_MS;
    expect(tab.load()).toMatchObject({ sessionId: 'session-2', sampled: true });
  });

  it('keeps the session start across page loads and restarts it on renewal', () => {
    const tab = fakeTab();
    const started = tab.time;
    tab.load();
    tab.time += 10_000;
    const second = tab.load();
    expect([second.sessionId, second.startedAt]).toEqual(['session-1', started]);
    second.renew();
    expect(second.startedAt).toBe(tab.time);
  });

  it('a page that starts while another page of the tab is live is a copy (duplicated tab): new session', () => {
    const tab = fakeTab();
    tab.load().takeSeq();
    // No pagehide: the original tab is still open when its sessionStorage is copied.
    const copy = createSessionStore({ storage: tab.storage, now: () => tab.time, createId: () => 'session-copy' });
    expect([copy.sessionId, copy.takeSeq()]).toEqual(['session-copy', 0]);
    expect(tab.items.get(SESSION_LIVE_KEY)).toBe('1');
    copy.leave();
    expect(tab.items.get(SESSION_LIVE_KEY)).toBe('');
  });

  it('a back/forward-cache restore marks the tab live again and keeps its session', () => {
    const tab = fakeTab();
    const page = tab.load();
    page.leave();
    expect(page.resume()).toMatchObject({ id: 'session-1' });
    expect(tab.items.get(SESSION_LIVE_KEY)).toBe('1');
  });

  it('reads a session stored before sampling existed as sampled and long enough', () => {
    const tab = fakeTab();
    tab.storage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ id: 'abcdefgh1', nextSeq: 4, lastActivityAt: tab.time }));
    const store = tab.load(0);
    expect([store.sessionId, store.sampled, store.startedAt, store.takeSeq()]).toEqual(['abcdefgh1', true, 0, 4]);
  });

  it('keeps working for the page when storage throws', () => {
    const store = createSessionStore({
      storage: {
        getItem: () => { throw new Error('SecurityError'); },
        setItem: () => { throw new Error('QuotaExceededError'); },
      },
      now: () => 5,
      createId: () => 'only-session',
    });
    expect(store.sessionId).toBe('only-session');
    expect([store.takeSeq(), store.takeSeq()]).toEqual([0, 1]);
    expect(store.touch()).toBe(true);
  });
});
