import { describe, expect, it } from 'vitest';
import { momentRange } from '../../../server/src/api/session-batches-route';
import type { BatchSummary } from './contract';
import { planLoad, replayStartTs } from './load-plan';

const T0 = 1_700_000_000_000;

/** Batches of `bytes` each, 10 s apart; seq from 0. */
function batches(count: number, bytes = 100): BatchSummary[] {
  return Array.from({ length: count }, (_, seq) => ({
    seq,
    pageId: seq < 3 ? 'page-one' : 'page-two',
    firstTs: T0 + seq * 10_000,
    lastTs: T0 + seq * 10_000 + 9_000,
    eventCount: 50,
    bytes,
    // Each page load's first batch holds its Meta event and snapshot.
    snapshotTs: seq === 0 || seq === 3 ? T0 + seq * 10_000 + 5 : null,
  }));
}

describe('planLoad', () => {
  it('needs only the first batch to open at the start, and asks for it alone', () => {
    expect(planLoad(batches(6))).toEqual({
      neededThroughSeq: 0,
      startSeq: 0,
      lastEarlierSeq: -1,
      requests: [
        { from: 0, to: 0 },
        { from: 1, to: 5 },
      ],
    });
  });

  it('needs every batch that starts at or before the moment, and cuts the first piece there', () => {
    expect(planLoad(batches(6), 25_000)).toEqual({
      neededThroughSeq: 2,
      startSeq: 0,
      lastEarlierSeq: -1,
      requests: [
        { from: 0, to: 2 },
        { from: 3, to: 5 },
      ],
    });
    expect(planLoad(batches(6), 30_000).neededThroughSeq).toBe(3);
  });

  it('needs everything for a moment past the end', () => {
    expect(planLoad(batches(3), 10 * 60_000)).toEqual({ neededThroughSeq: 2, startSeq: 0, lastEarlierSeq: -1, requests: [{ from: 0, to: 2 }] });
  });

  it('splits pieces at the byte budget and sends a larger batch alone', () => {
    const list = batches(5, 400);
    list[2]!.bytes = 5000;
    list[3]!.snapshotTs = null;
    expect(planLoad(list, 60_000, 1000).requests).toEqual([
      { from: 0, to: 1 },
      { from: 2, to: 2 },
      { from: 3, to: 4 },
    ]);
  });

  it('keeps seq order with gaps in seq, and measures the moment from the earliest event', () => {
    const list = batches(4).map((batch, i) => ({ ...batch, seq: i * 2 }));
    // A batch that arrived late with an earlier clock still starts the replay.
    list[1]!.firstTs = T0 - 5_000;
    expect(replayStartTs(list)).toBe(T0 - 5_000);
    expect(planLoad(list, 20_000)).toEqual({
      neededThroughSeq: 2,
      startSeq: 0,
      lastEarlierSeq: -1,
      requests: [
        { from: 0, to: 2 },
        { from: 4, to: 6 },
      ],
    });
  });

  it('has nothing to ask for a session without batches', () => {
    expect(planLoad([], 5000)).toEqual({ neededThroughSeq: -1, startSeq: -1, lastEarlierSeq: -1, requests: [] });
  });

  it('starts from the last batch with a snapshot at or before the moment, then loads what follows, then what comes before', () => {
    // The second page load began in batch 3 (its snapshot 30 s + 5 ms in).
    expect(planLoad(batches(8), 45_000)).toEqual({
      neededThroughSeq: 4,
      startSeq: 3,
      lastEarlierSeq: 2,
      requests: [
        { from: 3, to: 4 },
        { from: 5, to: 7 },
        { from: 0, to: 2 },
      ],
    });
    // A moment in the first batch of the page but before its snapshot still needs the page before.
    expect(planLoad(batches(8), 30_002).startSeq).toBe(0);
    expect(planLoad(batches(8), 30_005).startSeq).toBe(3);
  });

  it("starts at a periodic snapshot (rrweb's checkoutEveryNms) inside one long page load", () => {
    const list = batches(12).map((batch) => ({ ...batch, pageId: 'page-one', snapshotTs: batch.seq % 5 === 0 ? batch.firstTs + 2_000 : null }));
    expect(planLoad(list, 115_000)).toMatchObject({ neededThroughSeq: 11, startSeq: 10, lastEarlierSeq: 9, requests: [{ from: 10, to: 11 }, { from: 0, to: 9 }] });
    // Batches stored before snapshot times were kept (or never analysed) have none: from the first.
    const unknown = list.map((batch) => ({ ...batch, snapshotTs: null }));
    expect(planLoad(unknown, 115_000)).toMatchObject({ startSeq: 0, requests: [{ from: 0, to: 11 }] });
  });
});

describe("the server's plan for a replay link (?at=)", () => {
  it('asks for the same batches as planLoad, so a link can fetch them before the batch list is in', () => {
    // Snapshots in the middle of batches, a batch starting before the previous ended, gaps in seq.
    const odd: BatchSummary[] = batches(12).map((batch, i) => ({
      ...batch,
      seq: batch.seq * 2 + 3,
      firstTs: batch.firstTs - (i === 7 ? 12_000 : 0),
      snapshotTs: i % 4 === 1 ? batch.firstTs + 4_000 : null,
    }));
    for (const list of [batches(1), batches(6), batches(12), odd]) {
      for (const atMs of [0, 4_000, 5, 9_999, 10_000, 34_999, 35_000, 60_000, 74_000, 1e9]) {
        const plan = planLoad(list, atMs);
        expect(momentRange(list, atMs), `${list.length} batches, at ${atMs}`).toEqual({ from: plan.startSeq, to: plan.neededThroughSeq });
      }
    }
    expect(momentRange([], 0)).toBeNull();
  });
});
