// GET /api/sessions/:id/batches…: a session's stored batches listed, then sent as stored, for the viewer to stream.
import { Hono } from 'hono';
import { z } from 'zod';
import { BATCH_FRAMES_CONTENT_TYPE, BATCH_FRAME_HEADER_BYTES, type SessionBatchList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import { parseQuery } from './parse-input';

/** A 60-minute session is about 600 batches; this many rows is about 500 KB of JSON. */
export const MAX_BATCH_LIST_ROWS = 5000;
/**
 * Gzip bytes in one data response. The server holds at most this much (plus one batch, as a batch
 * larger than the budget is sent alone) per request, whatever the session holds; the viewer plans
 * its requests to fit.
 */
export const MAX_BATCH_DATA_BYTES = 2 * 1024 * 1024;
/** Batches in one data response, so a session of many tiny batches also stays within a bounded query. */
export const MAX_BATCH_DATA_COUNT = 2000;

const seqParam = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);

const listQuery = z.object({ from: seqParam.default(0) });
const dataQuery = z
  .object({ from: seqParam, to: seqParam })
  .refine(({ from, to }) => from <= to, { message: 'must not be below from', path: ['to'] });
/** ?at=MS: ms from the session's earliest batch, as a replay link's ?t= counts them. */
const momentQuery = z.object({ at: seqParam });

interface PlannedBatch {
  seq: number;
  firstTs: number;
  snapshotTs: number | null;
}

/**
 * The batches a replay opened `atMs` into the session needs first, as the viewer plans them
 * (planLoad in viewer/src/lib/load-plan.ts): from the last batch holding a snapshot at or before the
 * moment through the last batch starting at or before it; without such a snapshot, from the first.
 * Null for a session without batches.
 */
export function momentRange(batches: readonly PlannedBatch[], atMs: number): { from: number; to: number } | null {
  if (batches.length === 0) return null;
  const targetTs = batches.reduce((min, batch) => Math.min(min, batch.firstTs), Infinity) + Math.max(0, atMs);
  let needed = 0;
  batches.forEach((batch, i) => {
    if (batch.firstTs <= targetTs) needed = i;
  });
  let start = needed;
  while (start > 0 && !((batches[start]!.snapshotTs ?? Infinity) <= targetTs)) start--;
  return { from: batches[start]!.seq, to: batches[needed]!.seq };
}

/** Frames as documented at BATCH_FRAMES_CONTENT_TYPE: the bodies are copied, never inflated. */
export function encodeBatchFrames(batches: ReadonlyArray<{ seq: number; body: Buffer }>): Uint8Array<ArrayBuffer> {
  const frames = new Uint8Array(batches.reduce((sum, { body }) => sum + BATCH_FRAME_HEADER_BYTES + body.length, 0));
  const out = Buffer.from(frames.buffer);
  let offset = 0;
  for (const { seq, body } of batches) {
    offset = out.writeDoubleBE(seq, offset);
    offset = out.writeUInt32BE(body.length, offset);
    offset += body.copy(out, offset);
  }
  return frames;
}

export function createSessionBatchesRoute({ sessions, chunks }: AppRepos): Hono {
  const app = new Hono();

  async function requireSession(id: string): Promise<void> {
    if (!(await sessions.get(id))) throw new ApiError(404, 'not_found', `No session ${id}`);
  }

  app.get('/:id/batches', async (c) => {
    const id = c.req.param('id');
    const { from } = parseQuery(listQuery, c.req.query());
    await requireSession(id);
    // One extra row tells whether more exist without a count query.
    const rows = await chunks.summaries(id, from, MAX_BATCH_LIST_ROWS + 1);
    const batches = rows.slice(0, MAX_BATCH_LIST_ROWS);
    const nextFrom = rows.length > MAX_BATCH_LIST_ROWS ? rows[MAX_BATCH_LIST_ROWS]!.seq : null;
    return c.json({ batches, nextFrom } satisfies SessionBatchList);
  });

  /** The batches with from <= seq <= to as far as the budget goes, framed. */
  async function framesInRange(id: string, from: number, to: number): Promise<Uint8Array<ArrayBuffer>> {
    // Sizes first, bodies second: only the bodies that fit the budget are ever read into memory.
    let last = -1;
    let total = 0;
    for (const { seq, bytes } of await chunks.sizes(id, from, to, MAX_BATCH_DATA_COUNT)) {
      if (last >= 0 && total + bytes > MAX_BATCH_DATA_BYTES) break;
      total += bytes;
      last = seq;
    }
    return encodeBatchFrames(last < 0 ? [] : await chunks.bodiesInRange(id, from, last));
  }

  /**
   * ?at=MS: the batches that moment needs (momentRange), so a replay link can ask for them
   * alongside the batch list instead of after it. A session listed in more than one page is left to
   * the viewer's own plan: no frames.
   */
  async function framesForMoment(id: string, atMs: number): Promise<Uint8Array<ArrayBuffer>> {
    const rows = await chunks.summaries(id, 0, MAX_BATCH_LIST_ROWS + 1);
    const range = rows.length > MAX_BATCH_LIST_ROWS ? null : momentRange(rows, atMs);
    return range ? framesInRange(id, range.from, range.to) : encodeBatchFrames([]);
  }

  app.get('/:id/batches/data', async (c) => {
    const id = c.req.param('id');
    const query = c.req.query();
    const moment = 'at' in query ? parseQuery(momentQuery, query) : null;
    const range = moment ? null : parseQuery(dataQuery, query);
    await requireSession(id);
    const frames = moment ? await framesForMoment(id, moment.at) : await framesInRange(id, range!.from, range!.to);
    // Not a type hono's compress() compresses, and gzip inside already: sent as it is.
    return c.body(frames, 200, {
      'Content-Type': BATCH_FRAMES_CONTENT_TYPE,
    });
  });

  return app;
}
