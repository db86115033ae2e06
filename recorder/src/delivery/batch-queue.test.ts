import { describe, expect, it } from 'vitest';
import { SESSION_IDLE_TIMEOUT_MS } from '../wire/format';
import { DROPPED_KEY, HOLD_KEY_PREFIX, createBatchQueue, type OutgoingBatch } from './batch-queue';
import { FakeLocalStorage } from './fake-local-storage';

const T0 = 1_700_000_000_000;

function batch(seq: number, body = `{"seq":${seq}}`, sessionId = 'sess-aaaa'): OutgoingBatch {
  return { sessionId, seq, events: seq + 1, body };
}

function setup(storage: FakeLocalStorage | null = new FakeLocalStorage(), maxChars?: number) {
  const clock = { now: T0 };
  const queue = createBatchQueue(storage, () => clock.now, maxChars);
  return { queue, clock, storage };
}

const seqs = (batches: readonly { seq: number }[]) => batches.map((b) => b.seq);

describe('createBatchQueue', () => {
  it('stores each batch under its own key with time and event count, and forgets it on remove', () => {
    const { queue, storage } = setup();
    queue.add(batch(0), 0);
    queue.add(batch(1), 0);
    expect({ ...storage }).toEqual({ 'frictionlens.q.sess-aaaa.0': `${T0} 1 {"seq":0}`, 'frictionlens.q.sess-aaaa.1': `${T0} 2 {"seq":1}` });
    queue.remove(queue.batches[0]!);
    expect(Object.keys(storage!)).toEqual(['frictionlens.q.sess-aaaa.1']);
    expect(seqs(queue.batches)).toEqual([1]);
  });

  it('keeps the body, not the pieces it was compressed from', () => {
    const { queue } = setup();
    queue.add({ ...batch(0), parts: ['{"seq":', '0}'] }, 0, false);
    expect(queue.batches[0]!.parts).toBeUndefined();
    expect(queue.batches[0]!.body).toBe('{"seq":0}');
  });

  it('keeps a batch in memory only when asked, and stores it, gzip as base64, on persist()', () => {
    const { queue, storage } = setup();
    const gzip = Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]);
    queue.add({ sessionId: 'sess-aaaa', seq: 0, events: 4, body: '', gzip }, 0, false);
    queue.add(batch(1), 0, false);
    expect({ ...storage }).toEqual({});
    expect(queue.ready(queue.batches[0]!, 'sess-aaaa', 0)).toBe(true); // in memory: no stored key to miss
    queue.persist();
    expect({ ...storage }).toEqual({ 'frictionlens.q.sess-aaaa.0': `${T0} 4 H4sIAAECAw==`, 'frictionlens.q.sess-aaaa.1': `${T0} 2 {"seq":1}` });
    queue.remove(queue.batches[0]!);
    expect(Object.keys(storage!)).toEqual(['frictionlens.q.sess-aaaa.1']);
  });

  it('counts gzip held in memory against the cap as the base64 it would become', () => {
    const { queue } = setup(new FakeLocalStorage(), 20);
    const gzip = new Uint8Array(9); // 12 base64 characters
    queue.add({ sessionId: 'sess-aaaa', seq: 0, events: 1, body: '', gzip }, 0, false);
    queue.add({ sessionId: 'sess-aaaa', seq: 1, events: 1, body: '', gzip }, 0, false);
    expect(seqs(queue.batches)).toEqual([1]);
    expect(queue.takeDropped()).toEqual({ batches: 1, events: 1 });
  });

  it('a later page load adopts what is stored, oldest first, seq breaking ties, bodies unchanged', () => {
    const { queue, clock, storage } = setup();
    queue.add(batch(10, '{"a":10}'), 0);
    queue.add(batch(9, '{"a":9}', 'sess-bbbb'), 0);
    clock.now += 5;
    queue.add(batch(2, 'H4sIAAAA'), 0);
    const next = createBatchQueue(storage, () => T0 + 1000);
    expect(next.batches.map((b) => [b.sessionId, b.seq, b.events, b.at, b.body])).toEqual([
      ['sess-bbbb', 9, 10, T0, '{"a":9}'],
      ['sess-aaaa', 10, 11, T0, '{"a":10}'],
      ['sess-aaaa', 2, 3, T0 + 5, 'H4sIAAAA'],
    ]);
  });

  it('deletes stored entries it cannot read', () => {
    const storage = new FakeLocalStorage();
    storage.setItem('frictionlens.q.sess-aaaa.1', 'garbage');
    storage.setItem('frictionlens.q.broken', '1 1 {}');
    storage.setItem('site.own.key', 'kept');
    expect(createBatchQueue(storage, () => T0).batches).toEqual([]);
    expect(Object.keys(storage)).toEqual(['site.own.key']);
  });

  it('drops the oldest batches past the cap and counts them, once', () => {
    const { queue, storage } = setup(new FakeLocalStorage(), 100);
    for (let seq = 0; seq < 5; seq++) queue.add(batch(seq, `{"pad":"${'x'.repeat(30)}${seq}"}`), 0); // 41 chars each
    expect(seqs(queue.batches)).toEqual([3, 4]);
    expect(Object.keys(storage!).sort()).toEqual(['frictionlens.q.sess-aaaa.3', 'frictionlens.q.sess-aaaa.4']);
    expect(queue.takeDropped()).toEqual({ batches: 3, events: 1 + 2 + 3 });
    expect(queue.takeDropped()).toBeNull();
  });

  it('drops a single batch larger than the whole cap', () => {
    const { queue } = setup(new FakeLocalStorage(), 100);
    queue.add(batch(0, `{"big":"${'x'.repeat(200)}"}`), 0);
    expect(queue.batches).toEqual([]);
    expect(queue.takeDropped()).toEqual({ batches: 1, events: 1 });
  });

  it('keeps drops a page could not report for the next page load', () => {
    const { queue, storage } = setup(new FakeLocalStorage(), 50);
    queue.add(batch(4, `{"p":"${'x'.repeat(40)}"}`), 0);
    queue.add(batch(5, `{"p":"${'y'.repeat(40)}"}`), 0);
    queue.saveDropped();
    expect(storage!.getItem(DROPPED_KEY)).toBe('1 5');
    createBatchQueue(storage, () => T0).saveDropped(); // a page with nothing to add leaves the count alone
    const later = createBatchQueue(storage, () => T0);
    expect(later.takeDropped()).toEqual({ batches: 1, events: 5 });
    expect(storage!.getItem(DROPPED_KEY)).toBeNull();
  });

  it('sends from memory what storage refused (quota full), and still without storage at all', () => {
    const full = setup(new FakeLocalStorage(10));
    full.queue.add(batch(0), 0);
    expect(full.queue.batches.map((b) => [b.seq, b.stored])).toEqual([[0, false]]);
    expect(full.queue.ready(full.queue.batches[0]!, 'sess-aaaa', 0)).toBe(true);

    const none = setup(null);
    none.queue.add(batch(1), 0);
    expect(none.queue.ready(none.queue.batches[0]!, 'sess-aaaa', 0)).toBe(true);
  });

  it('forgets a batch another page delivered meanwhile (its key is gone)', () => {
    const { queue, storage } = setup();
    queue.add(batch(0), 0);
    storage!.removeItem('frictionlens.q.sess-aaaa.0');
    expect(queue.ready(queue.batches[0]!, 'sess-aaaa', 0)).toBe(false);
    expect(queue.batches).toEqual([]);
    expect(queue.takeDropped()).toBeNull();
  });

  describe('minimum session length', () => {
    it("holds the page's own session until holdUntil, then releases it for other tabs too", () => {
      const { queue, clock, storage } = setup();
      queue.add(batch(0), T0 + 5000);
      expect(storage!.getItem(`${HOLD_KEY_PREFIX}sess-aaaa`)).toBe(String(T0 + 5000));
      expect(queue.ready(queue.batches[0]!, 'sess-aaaa', T0 + 5000)).toBe(false);
      clock.now = T0 + 5000;
      expect(queue.ready(queue.batches[0]!, 'sess-aaaa', T0 + 5000)).toBe(true);
      expect(storage!.getItem(`${HOLD_KEY_PREFIX}sess-aaaa`)).toBeNull();
    });

    it("holds another session's batches while its hold stands, and forgets them once that session idled out short", () => {
      const { queue, storage } = setup();
      queue.add(batch(0), T0 + 5000);
      queue.add(batch(1), T0 + 5000);
      const otherTab = createBatchQueue(storage, () => T0 + 60_000);
      expect(otherTab.batches.map((b) => otherTab.ready(b, 'sess-other', 0))).toEqual([false, false]);
      const muchLater = createBatchQueue(storage, () => T0 + 5001 + SESSION_IDLE_TIMEOUT_MS);
      expect([...muchLater.batches].map((b) => muchLater.ready(b, 'sess-other', 0))).toEqual([false, false]);
      expect(muchLater.batches).toEqual([]);
      expect(Object.keys(storage!)).toEqual([]);
      expect(muchLater.takeDropped()).toBeNull(); // by design, not a loss
    });
  });
});
