// A session's events as one JSON array, written batch by batch so reading a session holds one batch at a time.
import { gunzipSync } from 'node:zlib';
import { MAX_BATCH_INFLATED_BYTES } from '../../../recorder/src/wire/format';
import type { ChunksRepo } from '../repos/chunks-repo';
import type { MaybeAsync } from '../repos/maybe-async';

/**
 * Each pull reads, inflates and writes out one stored batch, so memory stays at one batch (at
 * most MAX_BATCH_INFLATED_BYTES inflated, as ingest enforces) however many the session holds, and
 * the text is never joined into one string (V8 caps strings near 512 MB). Rows are read one
 * statement per batch rather than through an open iterator, which would keep the shared database
 * connection busy while the client reads. A batch that cannot be read (disk damage, or a batch
 * the ingest check should have refused) is skipped and reported: a gap in the replay rather than
 * a lost session.
 */
export function sessionEventsStream(chunks: MaybeAsync<ChunksRepo>, sessionId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let nextSeq = 0;
  let wroteEvent = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode('['));
      },
      async pull(controller) {
        for (;;) {
          const row = await chunks.nextBody(sessionId, nextSeq);
          if (!row) {
            controller.enqueue(encoder.encode(']'));
            controller.close();
            return;
          }
          nextSeq = row.seq + 1;
          const events = readEvents(sessionId, row.seq, row.body);
          if (events.length === 0) continue;
          const text = JSON.stringify(events).slice(1, -1);
          controller.enqueue(encoder.encode(wroteEvent ? `,${text}` : text));
          wroteEvent = true;
          return;
        }
      },
    },
    { highWaterMark: 0 },
  );
}

function readEvents(sessionId: string, seq: number, body: Buffer): unknown[] {
  try {
    const batch = JSON.parse(gunzipSync(body, { maxOutputLength: MAX_BATCH_INFLATED_BYTES }).toString('utf8')) as {
      events: unknown[];
    };
    return batch.events;
  } catch (error) {
    console.warn(`frictionlens: skipped unreadable batch ${seq} of session ${sessionId}:`, error);
    return [];
  }
}
