import { describe, expect, it } from 'vitest';
import { splitForKeepalive } from './split-for-keepalive';

const event = (bytes: number, fill = 'x') => fill.repeat(bytes);

describe('splitForKeepalive', () => {
  it('keeps everything in one group when it fits', () => {
    const events = [event(10), event(20), event(30)];
    // 40 overhead + 10 + 1 + 20 + 1 + 30 = 102
    expect(splitForKeepalive(events, 102, 40)).toEqual([events]);
  });

  it('starts a new group at the byte that would overflow, counting commas', () => {
    const events = [event(10), event(20), event(30)];
    expect(splitForKeepalive(events, 101, 40).map((g) => g.map((e) => e.length))).toEqual([[10, 20], [30]]);
  });

  it('splits a realistic pagehide buffer under 60 KB per body', () => {
    const events = Array.from({ length: 10 }, () => event(15_000));
    const groups = splitForKeepalive(events, 60_000, 200);
    // 200 + 3 × 15 000 + 2 commas = 45 202; a fourth would make 60 203.
    expect(groups.map((g) => g.length)).toEqual([3, 3, 3, 1]);
    expect(groups.flat()).toEqual(events);
  });

  it('measures UTF-8 bytes, not string length', () => {
    const euro = event(10, '€'); // 30 bytes
    expect(splitForKeepalive([euro, euro], 70, 0).map((g) => g.length)).toEqual([2]);
    expect(splitForKeepalive([euro, euro], 60, 0).map((g) => g.length)).toEqual([1, 1]);
  });

  it('gives an oversized event a group of its own instead of dropping it', () => {
    const groups = splitForKeepalive([event(5), event(500), event(5)], 100, 10);
    expect(groups.map((g) => g.map((e) => e.length))).toEqual([[5], [500], [5]]);
  });

  it('returns no groups for no events', () => {
    expect(splitForKeepalive([], 60_000, 100)).toEqual([]);
  });
});
