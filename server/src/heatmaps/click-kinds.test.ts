import { describe, expect, it } from 'vitest';
import type { FrictionFlag } from '../api-types';
import type { PageSignal } from '../analysis/page-signals';
import { clickKinds } from './click-kinds';

const base = { pageId: 'p', url: 'https://shop.example/', selector: '#buy', reason: 'r' };
const rage = { ...base, type: 'rage_click', ts: 1000, details: { clicks: 3, durationMs: 400, clickTimes: [1000, 1200, 1400], clicksWithEffect: 0 } } as FrictionFlag;
const dead = { ...base, type: 'dead_click', ts: 5000, details: { windowMs: 2000, lookedFor: [], clickTimes: [5000, 5600] } } as FrictionFlag;
const error = (t: number): PageSignal => ({ k: 'error', t, kind: 'error', message: 'boom' });

describe('clickKinds', () => {
  it('marks rage clicks by the flag\'s click times and dead clicks by the flag\'s time and its joined presses', () => {
    expect(clickKinds([1000, 1200, 1400, 1500, 5000, 5600], [rage, dead], []).map((k) => [k.rage, k.dead])).toEqual([
      [true, false], [true, false], [true, false], [false, false], [false, true], [false, true],
    ]);
  });

  it('marks an error click when an uncaught error follows within 1 s, not before it nor later', () => {
    // Errors at 2500 and 9000. Click 2000: 500 ms before the error → error click. Click 1400: 1100 ms → no.
    // Click 2500: same ms → yes. Click 2600: after it → no. Click 8000: exactly 1000 ms before → yes.
    expect(clickKinds([1400, 2000, 2500, 2600, 8000], [], [error(9000), error(2500)]).map((k) => k.error)).toEqual([false, true, true, false, true]);
  });
});
