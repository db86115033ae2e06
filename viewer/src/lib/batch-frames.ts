// Splits a batch data response into its stored batches, and inflates one batch within a size limit.
import { BATCH_FRAME_HEADER_BYTES, type eventWithTime } from './contract';

export interface BatchFrame {
  seq: number;
  /** The batch's gzip body exactly as the server stored it. */
  body: Uint8Array;
}

/** The frames of GET /api/sessions/:id/batches/data (format at BATCH_FRAMES_CONTENT_TYPE); throws on a cut-off response. */
export function readBatchFrames(data: ArrayBuffer): BatchFrame[] {
  const view = new DataView(data);
  const frames: BatchFrame[] = [];
  let offset = 0;
  while (offset < data.byteLength) {
    if (offset + BATCH_FRAME_HEADER_BYTES > data.byteLength) throw new Error('The batch data ends inside a frame header.');
    const seq = view.getFloat64(offset);
    const length = view.getUint32(offset + 8);
    const start = offset + BATCH_FRAME_HEADER_BYTES;
    if (start + length > data.byteLength) throw new Error(`The batch data ends inside batch ${seq}.`);
    frames.push({ seq, body: new Uint8Array(data, start, length) });
    offset = start + length;
  }
  return frames;
}

export class BatchTooLargeError extends Error {
  override readonly name = 'BatchTooLargeError';
}

/**
 * Inflates in the browser's own zlib (DecompressionStream), counting as it goes, so a batch that
 * inflates past `maxBytes` is dropped after that many bytes rather than after filling memory.
 * Each batch is its own gzip stream: one damaged body costs that batch, not the response.
 */
export async function inflateBatchText(body: Uint8Array, maxBytes: number): Promise<{ text: string; bytes: number }> {
  const inflater = new DecompressionStream('gzip');
  const writer = inflater.writable.getWriter();
  // Failures surface on the reading side; these promises only need a handler.
  writer.write(body as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = inflater.readable.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), bytes };
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      throw new BatchTooLargeError(`A batch inflates to more than ${maxBytes} bytes.`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** The events of one inflated batch (the recorder's {"v":1,…,"events":[…]}); throws when it is not one. */
export function batchEvents(json: string): eventWithTime[] {
  const batch = JSON.parse(json) as { events?: unknown };
  if (!Array.isArray(batch.events)) throw new Error('A stored batch has no events.');
  return batch.events as eventWithTime[];
}
