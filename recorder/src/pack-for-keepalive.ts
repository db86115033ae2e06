// Packs a page's last events into gzipped batches that each fit a keepalive body, in order, as the page goes.
import type { OutgoingBatch } from './delivery/batch-queue';
import { gzipBatchNow } from './gzip-now';

/** Beyond this much JSON a group is halved before it is compressed: it would not fit, and compressing it would hold up the page. */
export const PACK_MAX_CHARS = 512 * 1024;

export interface BatchMaker {
  /** A seq for the next batch: taken once per batch, however often its group is halved. */
  takeSeq(): number;
  /** The batch of these events; last marks the page's final batch. */
  make(events: readonly string[], seq: number, last: boolean): OutgoingBatch;
}

/**
 * As few batches as fit: the whole tail first, a group halved while its gzip is over maxBodyBytes,
 * the next group starting from the size that fitted. A single event too large for any body is
 * sent in a batch of its own, uncompressed beyond PACK_MAX_CHARS, and waits for a later page load.
 */
export function packForKeepalive(events: readonly string[], maker: BatchMaker, maxBodyBytes: number): OutgoingBatch[] {
  const batches: OutgoingBatch[] = [];
  let size = events.length;
  for (let from = 0; from < events.length; ) {
    const seq = maker.takeSeq();
    for (;;) {
      const group = events.slice(from, from + size);
      const last = from + group.length == events.length;
      const chars = group.reduce((sum, json) => sum + json.length, 0);
      const batch = maker.make(group, seq, last);
      const packed = chars > PACK_MAX_CHARS ? null : gzipBatchNow(batch);
      if (size == 1 || (packed && packed.gzip!.length <= maxBodyBytes)) {
        batches.push(packed || batch);
        from += group.length;
        break;
      }
      size = Math.ceil(size / 2);
    }
    size = Math.min(size, events.length - from);
  }
  return batches;
}
