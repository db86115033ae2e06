import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import type { eventWithTime } from '@rrweb/types';
import { BATCH_FRAMES_CONTENT_TYPE, BATCH_FRAME_HEADER_BYTES, type SessionBatchList } from '../api-types';
import { describeAppOnBothBackends, type BackendTestApp } from '../testing/backend-test-app';
import { adminHeaders, gzipJson, makeBatch, postIngest, sampleEvents } from '../testing/test-app';
import { MAX_BATCH_DATA_BYTES, MAX_BATCH_LIST_ROWS } from './session-batches-route';

let t: BackendTestApp;

const T0 = 1_700_000_000_000;
const SESSION = 'session-0001';

async function get(path: string, headers: Record<string, string> = adminHeaders()): Promise<Response> {
  return t.app.request(path, { headers });
}

/** Splits a data response into its frames, checking each header against its body. */
function readFrames(bytes: Buffer): Array<{ seq: number; body: Buffer }> {
  const frames: Array<{ seq: number; body: Buffer }> = [];
  for (let offset = 0; offset < bytes.length; ) {
    const seq = bytes.readDoubleBE(offset);
    const length = bytes.readUInt32BE(offset + 8);
    const start = offset + BATCH_FRAME_HEADER_BYTES;
    frames.push({ seq, body: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}

async function getFrames(from: number, to: number) {
  const res = await get(`/api/sessions/${SESSION}/batches/data?from=${from}&to=${to}`, {
    ...adminHeaders(),
    'accept-encoding': 'gzip',
  });
  expect(res.status).toBe(200);
  return { res, frames: readFrames(Buffer.from(await res.arrayBuffer())) };
}

async function storedBodies(): Promise<Map<number, Buffer>> {
  const rows = await t.rows<{ seq: number; body: Buffer }>('SELECT seq, body FROM chunks WHERE session_id = ? ORDER BY seq', [SESSION]);
  return new Map(rows.map((row) => [row.seq, row.body]));
}

/** Adds stored batches straight to the chunks table, after one ingested batch created the session and page. */
async function insertChunks(bodies: Buffer[], firstSeq = 1): Promise<void> {
  const chunk = (body: Buffer, i: number) => ({ sessionId: SESSION, seq: firstSeq + i, pageId: 'page-0001', firstTs: T0 + i, lastTs: T0 + i, eventCount: 1, body, receivedAt: T0 });
  const { db } = t;
  // One transaction on SQLite, as the batch writer does; on PostgreSQL as many at once as the pool
  // has connections (5,010 one after another took 8 s).
  if (db) return db.transaction(() => bodies.forEach((body, i) => void t.repos.chunks.insert(chunk(body, i))))();
  await Promise.all(bodies.map((body, i) => t.repos.chunks.insert(chunk(body, i))));
}

async function postThreeOutOfOrder() {
  const page1 = sampleEvents(T0, 6);
  const page2 = sampleEvents(T0 + 60_000, 5, 'https://shop.example/checkout');
  const batches = [
    makeBatch({ seq: 0, pageId: 'page-one1', events: page1.slice(0, 3) }),
    makeBatch({ seq: 1, pageId: 'page-one1', events: page1.slice(3) }),
    makeBatch({ seq: 2, pageId: 'page-two2', url: 'https://shop.example/checkout', events: page2 }),
  ];
  const posted = batches.map((batch) => gzipJson(batch));
  for (const index of [2, 0, 1]) expect((await postIngest(t.app, t.site.key, posted[index]!)).status).toBe(200);
  return { batches, posted };
}

describeAppOnBothBackends('session batches route', (backend) => {
  beforeEach(() => {
    t = backend();
  });

  describe('GET /api/sessions/:id/batches', () => {
    it('lists the batches in seq order with page, times, event count and stored size', async () => {
      const { posted } = await postThreeOutOfOrder();
      const res = await get(`/api/sessions/${SESSION}/batches`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as SessionBatchList;
      expect(list.nextFrom).toBeNull();
      expect(list.batches).toEqual([
        { seq: 0, pageId: 'page-one1', firstTs: T0, lastTs: T0 + 20, eventCount: 3, bytes: posted[0]!.length, snapshotTs: T0 },
        { seq: 1, pageId: 'page-one1', firstTs: T0 + 30, lastTs: T0 + 50, eventCount: 3, bytes: posted[1]!.length, snapshotTs: null },
        { seq: 2, pageId: 'page-two2', firstTs: T0 + 60_000, lastTs: T0 + 60_040, eventCount: 5, bytes: posted[2]!.length, snapshotTs: T0 + 60_000 },
      ]);
    });

    it('gives a batch a snapshot time only where a Meta event comes before a full snapshot in it', async () => {
      const [meta, snapshot, move] = sampleEvents(T0, 3) as [eventWithTime, eventWithTime, eventWithTime];
      const at = (event: eventWithTime, ts: number) => ({ ...event, timestamp: ts }) as eventWithTime;
      const bodies = [
        [meta, snapshot, move],
        // A periodic snapshot (rrweb's checkoutEveryNms) in the middle of a batch, taken twice.
        [at(move, T0 + 100), at(meta, T0 + 200), at(snapshot, T0 + 201), at(meta, T0 + 300), at(snapshot, T0 + 301)],
        // Split by a flush: the Meta ends one batch, its snapshot starts the next.
        [at(move, T0 + 400), at(meta, T0 + 500)],
        [at(snapshot, T0 + 501), at(move, T0 + 600)],
        // A snapshot before the batch's Meta is not one a replay can start from.
        [at(snapshot, T0 + 700), at(meta, T0 + 701)],
      ];
      for (const [seq, events] of bodies.entries()) {
        expect((await postIngest(t.app, t.site.key, gzipJson(makeBatch({ seq, events })))).status).toBe(200);
      }
      const list = (await (await get(`/api/sessions/${SESSION}/batches`)).json()) as SessionBatchList;
      expect(list.batches.map((b) => b.snapshotTs)).toEqual([T0, T0 + 200, null, null, null]);
    });

    it(`pages through more than ${MAX_BATCH_LIST_ROWS} batches with from`, async () => {
      await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
      await insertChunks(Array.from({ length: MAX_BATCH_LIST_ROWS + 10 }, () => Buffer.from([1])));
      const first = (await (await get(`/api/sessions/${SESSION}/batches`)).json()) as SessionBatchList;
      expect(first.batches).toHaveLength(MAX_BATCH_LIST_ROWS);
      expect(first.nextFrom).toBe(MAX_BATCH_LIST_ROWS);
      const rest = (await (await get(`/api/sessions/${SESSION}/batches?from=${first.nextFrom}`)).json()) as SessionBatchList;
      expect(rest.batches.map((b) => b.seq)).toEqual(Array.from({ length: 11 }, (_, i) => MAX_BATCH_LIST_ROWS + i));
      expect(rest.nextFrom).toBeNull();
    });
  });

  describe('GET /api/sessions/:id/batches/data', () => {
    it('sends the stored gzip bodies byte for byte, in seq order, and never compresses them again', async () => {
      const { batches, posted } = await postThreeOutOfOrder();
      const { res, frames } = await getFrames(0, 2);
      expect(res.headers.get('content-type')).toBe(BATCH_FRAMES_CONTENT_TYPE);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(frames.map((frame) => frame.seq)).toEqual([0, 1, 2]);
      frames.forEach((frame, i) => expect(frame.body.equals(Buffer.from(posted[i]!))).toBe(true));
      // Inflated in the client, each is the batch as the recorder sent it.
      expect(JSON.parse(gunzipSync(frames[2]!.body).toString()).events).toEqual(batches[2]!.events);
    });

    it('answers a range with the batches inside it', async () => {
      await postThreeOutOfOrder();
      expect((await getFrames(1, 1)).frames.map((frame) => frame.seq)).toEqual([1]);
      expect((await getFrames(1, 99)).frames.map((frame) => frame.seq)).toEqual([1, 2]);
      expect((await getFrames(7, 9)).frames).toEqual([]);
    });

    it(`stops at ${MAX_BATCH_DATA_BYTES} bytes, sending a larger batch alone, and from= brings the rest`, async () => {
      await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
      // Incompressible stand-ins: 7 batches of 400 KB and one of 3 MB.
      const bodies = [...Array.from({ length: 7 }, () => randomBytes(400_000)), randomBytes(3_000_000)];
      await insertChunks(bodies);
      const first = await getFrames(1, 8);
      expect(first.frames.map((frame) => frame.seq)).toEqual([1, 2, 3, 4, 5]);
      const second = await getFrames(6, 8);
      expect(second.frames.map((frame) => frame.seq)).toEqual([6, 7]);
      const third = await getFrames(8, 8);
      expect(third.frames.map((frame) => frame.seq)).toEqual([8]);
      const stored = await storedBodies();
      for (const frame of [...first.frames, ...second.frames, ...third.frames]) expect(frame.body.equals(stored.get(frame.seq)!)).toBe(true);
    });

    it('answers ?at=MS with the batches that moment needs: from the last snapshot at or before it through the last batch starting by then', async () => {
      // Batch 0 holds the first page's snapshot at T0, batch 1 starts at T0 + 30, batch 2 holds the second page's at T0 + 60,000.
      await postThreeOutOfOrder();
      const at = async (ms: number) => {
        const res = await get(`/api/sessions/${SESSION}/batches/data?at=${ms}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(BATCH_FRAMES_CONTENT_TYPE);
        return readFrames(Buffer.from(await res.arrayBuffer())).map((frame) => frame.seq);
      };
      expect(await at(0)).toEqual([0]);
      expect(await at(30)).toEqual([0, 1]);
      expect(await at(59_999)).toEqual([0, 1]);
      expect(await at(60_000)).toEqual([2]);
      expect(await at(999_999_999)).toEqual([2]);
      const stored = await storedBodies();
      const res = await get(`/api/sessions/${SESSION}/batches/data?at=30`);
      for (const frame of readFrames(Buffer.from(await res.arrayBuffer()))) expect(frame.body.equals(stored.get(frame.seq)!)).toBe(true);
    });

    it.each([
      ['?at=-1', 'at'],
      ['?at=1.5', 'at'],
      ['?from=0', 'to'],
      ['?from=3&to=2', 'to'],
      ['?from=-1&to=2', 'from'],
      ['?from=a&to=2', 'from'],
    ])('refuses %s', async (query, field) => {
      await postThreeOutOfOrder();
      const res = await get(`/api/sessions/${SESSION}/batches/data${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toContain(`"${field}"`);
    });

    it('answers 404 for an unknown session on the list and the data', async () => {
      for (const path of ['/api/sessions/nosuchsession/batches', '/api/sessions/nosuchsession/batches/data?from=0&to=1', '/api/sessions/nosuchsession/batches/data?at=0']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    });

    it('is for admins only', async () => {
      await postThreeOutOfOrder();
      for (const path of [`/api/sessions/${SESSION}/batches`, `/api/sessions/${SESSION}/batches/data?from=0&to=1`, `/api/sessions/${SESSION}/batches/data?at=0`]) {
        expect((await get(path, {})).status).toBe(401);
      }
    });
  });

  /** Batches of about 10 MB of JSON that gzip to about 10 KB each, as in the security review's report (one body, stored `count` times). */
  function inflatingBodies(count: number): Buffer[] {
    const body = gzipSync(JSON.stringify(makeBatch({ events: [{ type: 5, timestamp: T0, data: { tag: 'x', payload: 'a'.repeat(10_000_000) } } as eventWithTime] })));
    return Array.from({ length: count }, () => body);
  }

  describe('reading a session of batches that inflate a thousandfold', () => {
    const COUNT = 10;
    /** Well under the 100 MB the batches inflate to: what a reader holds is one batch, not the session. */
    const MAX_GROWTH_BYTES = 40 * 1024 * 1024;

    // A full collection before each sample, so what is measured is what the server holds, not garbage it has yet to collect.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const held = () => {
      gc();
      const { heapUsed, external } = process.memoryUsage();
      return heapUsed + external;
    };

    /** Reads the response one chunk at a time, keeping none, and reports the most the process held meanwhile. */
    async function readPeakGrowth(res: Response): Promise<{ bytes: number; growth: number }> {
      const base = held();
      let peak = base;
      let bytes = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        peak = Math.max(peak, held());
      }
      return { bytes, growth: peak - base };
    }

    it('serves the data as stored, with no inflation at all', async () => {
      await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
      const bodies = inflatingBodies(COUNT);
      await insertChunks(bodies);
      const { frames } = await getFrames(1, COUNT);
      expect(frames).toHaveLength(COUNT);
      const stored = bodies.reduce((sum, body) => sum + body.length, 0);
      expect(frames.reduce((sum, frame) => sum + frame.body.length, 0)).toBe(stored);
      expect(stored).toBeLessThan(COUNT * 20_000);
    });

    it('streams GET /events one batch at a time instead of joining them', async () => {
      await postIngest(t.app, t.site.key, gzipJson(makeBatch()));
      await insertChunks(inflatingBodies(COUNT));
      const res = await get(`/api/sessions/${SESSION}/events`);
      expect(res.status).toBe(200);
      const { bytes, growth } = await readPeakGrowth(res);
      expect(bytes).toBeGreaterThan(COUNT * 10_000_000);
      expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
    }, 60_000);
  });
});
