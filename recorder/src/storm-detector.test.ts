import { describe, expect, it } from 'vitest';
import {
  CALM_MUTATIONS_PER_WINDOW as calmMutations,
  STORM_CALM_MS as calmMs,
  STORM_MUTATIONS_PER_WINDOW as stormMutations,
  STORM_SUSTAINED_WINDOWS as sustained,
  STORM_WINDOW_MS as windowMs,
  createStormDetector,
} from './storm-detector';

/** Tips a fresh detector into a storm at t0 + (sustained - 1) windows. */
function storming(storm = createStormDetector(), t0 = 0): number {
  for (let w = 0; w < sustained; w++) storm.add(stormMutations + 1, t0 + w * windowMs);
  return t0 + (sustained - 1) * windowMs;
}

describe('createStormDetector', () => {
  it('lets a benchmark-sized burst through, once a second', () => {
    const storm = createStormDetector();
    const tipped = [0, 1000, 2000, 3000].map((at) => storm.add(stormMutations, at));
    expect(tipped).toEqual([false, false, false, false]);
    expect(storm.calm(10_000)).toBe(false);
  });

  it('lets one render of any size through: a single busy window is no storm', () => {
    const storm = createStormDetector();
    expect(storm.add(50_000, 100)).toBe(false);
    expect(storm.add(1, 200)).toBe(false);
    expect(storm.calm(10_000)).toBe(false);
  });

  it('lets two big renders straddling a window edge through', () => {
    const storm = createStormDetector();
    expect([999, 1001].map((at) => storm.add(20_000, at))).toEqual([false, false]);
  });

  it('lets a burst of big renders lasting four seconds through, as rrweb keeps up with it', () => {
    // The overhead bench's one-shots run back to back: 5,000 to 25,600 mutations every 250 ms or so.
    const storm = createStormDetector();
    const tipped = Array.from({ length: 16 }, (_, i) => storm.add(12_000, i * 250)).filter(Boolean);
    expect(tipped).toEqual([]);
  });

  it('pauses on the fifth busy window in a row, and tells how many that window held', () => {
    const storm = createStormDetector();
    // 120,000 a second in 50 ms ticks, as the e2e storm fixture does.
    const tipped: number[] = [];
    for (let at = 0; at < 8000 && tipped.length === 0; at += 50) if (storm.add(6000, at)) tipped.push(at);
    expect(sustained).toBe(5);
    expect(tipped).toEqual([4050]); // 6,000 at 4000, 12,000 at 4050
    expect(storm.inWindow).toBe(12_000);
    expect(storm.add(1, 4100)).toBe(false); // paused already: counting, not tipping again
  });

  it('needs the busy windows back to back: a quiet window or a gap restarts the count', () => {
    const quiet = createStormDetector();
    expect([0, 1000, 2000, 3000, 4000].map((at, i) => quiet.add(i === 2 ? 10 : stormMutations + 1, at))).toEqual([
      false, false, false, false, false,
    ]);
    const gap = createStormDetector();
    expect([0, 1000, 3000, 4000, 5000, 6000].map((at) => gap.add(stormMutations + 1, at))).toEqual([false, false, false, false, false, false]);
    expect(gap.add(stormMutations + 1, 7000)).toBe(true);
  });

  it('resumes only after calmMs without a busy window, counting what it skipped', () => {
    const storm = createStormDetector();
    const pausedAt = storming(storm);
    storm.add(5000, pausedAt + 500); // still storming
    expect(storm.calm(pausedAt + 500 + calmMs - 1)).toBe(false);
    storm.add(calmMutations, pausedAt + 1600); // a calm window: a clock ticking
    expect(storm.calm(pausedAt + 500 + calmMs - 1)).toBe(false);
    expect(storm.calm(pausedAt + 500 + calmMs)).toBe(true);
    expect(storm.skipped).toBe(5000 + calmMutations);
    expect(storm.calm(pausedAt + 10_000)).toBe(false);
  });

  it('starts counting afresh after a resume, and waits twice as long after each new storm', () => {
    const storm = createStormDetector();
    const first = storming(storm);
    expect(storm.calm(first + calmMs)).toBe(true);
    expect(storm.add(stormMutations + 1, first + calmMs + windowMs)).toBe(false); // one busy window again
    const second = storming(storm, 20_000);
    expect(storm.skipped).toBe(0);
    expect(storm.calm(second + calmMs)).toBe(false);
    expect(storm.calm(second + 2 * calmMs)).toBe(true);
  });
});
