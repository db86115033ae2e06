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

  app.get('/:id/batches/data', async (c) => {
    const id = c.req.param('id');
    const { from, to } = parseQuery(dataQuery, c.req.query());
    await requireSession(id);
    // Sizes first, bodies second: only the bodies that fit the budget are ever read into memory.
    let last = -1;
    let total = 0;
    for (const { seq, bytes } of await chunks.sizes(id, from, to, MAX_BATCH_DATA_COUNT)) {
      if (last >= 0 && total + bytes > MAX_BATCH_DATA_BYTES) break;
      total += bytes;
      last = seq;
    }
    const frames = encodeBatchFrames(last < 0 ? [] : await chunks.bodiesInRange(id, from, last));
    // Not a type hono's compress() compresses, and gzip inside already: sent as it is.
    return c.body(frames, 200, {
      'Content-Type': BATCH_FRAMES_CONTENT_TYPE,
    });
  });

  return app;
}
