import { describe, expect, it } from 'vitest';
import {
  CALM_MUTATIONS_PER_WINDOW as calmMutations,
  STORM_CALM_MS as calmMs,
  STORM_MUTATIONS_PER_WINDOW as stormMutations,
  STORM_WINDOW_MS as windowMs,
  createStormDetector,
} from './storm-detector';


describe('createStormDetector', () => {
  it('lets a benchmark-sized burst through, once a second', () => {
    const storm = createStormDetector();
    const tipped = [0, 1000, 2000, 3000].map((at) => storm.add(stormMutations, at));
    expect(tipped).toEqual([false, false, false, false]);
    expect(storm.calm(10_000)).toBe(false);
  });

  it('pauses when one window holds more than the threshold, and tells how many', () => {
    const storm = createStormDetector();
    const tipped = [0, 200, 400, 600].map((at) => storm.add(3000, at));
    expect(tipped).toEqual([false, false, false, true]);
    expect(storm.inWindow).toBe(12_000);
    expect(storm.add(1, 700)).toBe(false); // paused already: counting, not tipping again
  });

  it('counts per window: the same mutations spread over two windows are no storm', () => {
    const storm = createStormDetector();
    expect(storm.add(stormMutations, 0)).toBe(false);
    expect(storm.add(stormMutations, windowMs)).toBe(false);
  });

  it('resumes only after calmMs without a busy window, counting what it skipped', () => {
    const storm = createStormDetector();
    storm.add(stormMutations + 1, 0);
    storm.add(5000, 500); // still storming
    expect(storm.calm(500 + calmMs - 1)).toBe(false);
    storm.add(calmMutations, 1600); // a calm window: a clock ticking
    expect(storm.calm(500 + calmMs - 1)).toBe(false);
    expect(storm.calm(500 + calmMs)).toBe(true);
    expect(storm.skipped).toBe(5000 + calmMutations);
    expect(storm.calm(10_000)).toBe(false);
  });

  it('waits twice as long after each new storm', () => {
    const storm = createStormDetector();
    storm.add(stormMutations + 1, 0);
    expect(storm.calm(calmMs)).toBe(true);
    storm.add(stormMutations + 1, 10_000);
    expect(storm.skipped).toBe(0);
    expect(storm.calm(10_000 + calmMs)).toBe(false);
    expect(storm.calm(10_000 + 2 * calmMs)).toBe(true);
  });
});
