import { describe, expect, it } from 'vitest';
import type { ErrorLoopDetails } from '../api-types';
import { detectErrorLoops } from './error-loop';
import { CHECKOUT, button, click, error, page, requestFailed, submit } from './testing/form-error-signals';

// No published test cases exist for an error-loop detector (Sentry's replay issues cover rage and
// dead clicks and hydration errors; Clarity's error clicks are not published as tests). These follow
// the scenarios; message normalisation has its own tests, ported from Sentry's.
const PROMO = 'https://shop.test/api/promo';
const TYPE_ERROR = "TypeError: Cannot read properties of undefined (reading 'total')";
const apply = (t: number) => click(t, '#apply-promo', button('Apply'));

const details = (flag: { details: unknown }) => flag.details as ErrorLoopDetails;

describe('detectErrorLoops: the same error again and again', () => {
  it('flags the same error three times within a minute', () => {
    const [flag, ...rest] = detectErrorLoops(page([error(1000, TYPE_ERROR), error(20_000, TYPE_ERROR), error(41_000, TYPE_ERROR)]));
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({ type: 'error_loop', ts: 1000, selector: null });
    expect(details(flag!)).toEqual({
      pattern: 'repeated-error',
      count: 3,
      error: TYPE_ERROR,
      source: 'https://shop.test/app.js',
      firstTs: 1000,
      lastTs: 41_000,
    });
    expect(flag!.reason).toBe(`The same script error happened 3 times in 40 seconds: '${TYPE_ERROR}'.`);
  });

  it('takes messages differing only in ids and numbers as one error', () => {
    const signals = [error(1000, 'Error: Order 10423 not found'), error(2000, 'Error: Order 10424 not found'), error(3000, 'Error: Order 10425 not found')];
    expect(details(detectErrorLoops(page(signals))[0]!)).toMatchObject({ count: 3, error: 'Error: Order <num> not found' });
  });

  it('does not flag an error thrown once, twice, or three times spread over more than a minute', () => {
    expect(detectErrorLoops(page([error(1000, TYPE_ERROR)]))).toEqual([]);
    expect(detectErrorLoops(page([error(1000, TYPE_ERROR), error(2000, TYPE_ERROR)]))).toEqual([]);
    expect(detectErrorLoops(page([error(0, TYPE_ERROR), error(40_000, TYPE_ERROR), error(80_000, TYPE_ERROR)]))).toEqual([]);
  });

  it('finds the three that do fall within a minute, and counts the loop while it keeps that pace', () => {
    const times = [0, 40_000, 80_000, 100_000, 130_000];
    const [flag] = detectErrorLoops(page(times.map((t) => error(t, TYPE_ERROR))));
    expect(details(flag!)).toMatchObject({ count: 4, firstTs: 40_000, lastTs: 130_000 });
  });

  it('does not take different errors, or one message from different scripts, as one loop', () => {
    expect(detectErrorLoops(page([error(1000, TYPE_ERROR), error(2000, 'Error: Payment declined'), error(3000, TYPE_ERROR)]))).toEqual([]);
    const sources = [error(1000, TYPE_ERROR, 'https://shop.test/a.js'), error(2000, TYPE_ERROR, 'https://shop.test/b.js'), error(3000, TYPE_ERROR)];
    expect(detectErrorLoops(page(sources))).toEqual([]);
  });

  it('flags while the page is still live', () => {
    expect(detectErrorLoops(page([error(1000, TYPE_ERROR), error(1500, TYPE_ERROR), error(2000, TYPE_ERROR)], false))).toHaveLength(1);
  });
});

describe('detectErrorLoops: the same action failing the same way', () => {
  it('flags a button pressed twice with the same failed request after each press', () => {
    const [flag, ...rest] = detectErrorLoops(page([apply(1000), requestFailed(1400, PROMO), apply(6000), requestFailed(6300, PROMO)]));
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({ ts: 1000, selector: '#apply-promo' });
    expect(details(flag!)).toEqual({
      pattern: 'action-error',
      count: 2,
      error: `POST ${PROMO} → 500`,
      trigger: '#apply-promo',
      firstTs: 1000,
      lastTs: 6300,
    });
    expect(flag!.reason).toBe(`The visitor clicked 'Apply' 2 times in a row, and each time it failed: the site answered 500 to POST ${PROMO}.`);
  });

  it('flags the same form submit followed each time by the same script error', () => {
    const signals = [submit(1000), error(1200, TYPE_ERROR), submit(5000), error(5100, TYPE_ERROR)];
    const [flag] = detectErrorLoops(page(signals));
    expect(flag).toMatchObject({ selector: CHECKOUT, details: { pattern: 'action-error', count: 2, trigger: CHECKOUT, source: 'https://shop.test/app.js' } });
    expect(flag!.reason).toBe(`The visitor submitted the checkout form 2 times in a row, and each time it hit the same script error: '${TYPE_ERROR}'.`);
  });

  it('does not flag repeated presses whose requests succeed, or a single failure', () => {
    expect(detectErrorLoops(page([apply(1000), apply(3000), apply(5000)]))).toEqual([]);
    expect(detectErrorLoops(page([apply(1000), requestFailed(1400, PROMO), apply(6000)]))).toEqual([]);
  });

  it('needs the failures in a row: a press that worked ends the loop', () => {
    const signals = [apply(1000), requestFailed(1400, PROMO), apply(6000), apply(9000), requestFailed(9300, PROMO)];
    expect(detectErrorLoops(page(signals))).toEqual([]);
  });

  it('gives a failure to the last action before it, and only within five seconds', () => {
    const other = (t: number) => click(t, '#nav-cart', { kind: 'a', text: 'Cart' });
    const afterNext = [apply(1000), other(1100), requestFailed(1400, PROMO), apply(6000), other(6100), requestFailed(6300, PROMO)];
    expect(detectErrorLoops(page(afterNext)).map((flag) => flag.selector)).toEqual(['#nav-cart']);
    expect(detectErrorLoops(page([apply(1000), requestFailed(6100, PROMO), apply(10_000), requestFailed(15_500, PROMO)]))).toEqual([]);
  });

  it('takes presses on the icon and on the text of one button as the same action', () => {
    const pay = (t: number, part: string) => click(t, `#pay>${part}`, button('Pay now'));
    const signals = [pay(1000, 'svg'), requestFailed(1300, 'https://shop.test/api/pay', 402), pay(4000, 'span'), requestFailed(4200, 'https://shop.test/api/pay', 402)];
    expect(details(detectErrorLoops(page(signals))[0]!)).toMatchObject({ count: 2, trigger: '#pay>svg' });
  });

  it('takes requests to the same endpoint with different record ids as the same failure', () => {
    const signals = [apply(1000), requestFailed(1200, 'https://shop.test/api/carts/1042/promo'), apply(3000), requestFailed(3200, 'https://shop.test/api/carts/1043/promo')];
    expect(details(detectErrorLoops(page(signals))[0]!).error).toBe('POST https://shop.test/api/carts/:id/promo → 500');
  });

  it('makes one flag when each press fails a request and then throws the error it caused', () => {
    const signals = [1000, 5000, 9000].flatMap((t) => [apply(t), requestFailed(t + 300, PROMO), error(t + 310, TYPE_ERROR)]);
    const flags = detectErrorLoops(page(signals));
    expect(flags).toHaveLength(1);
    expect(details(flags[0]!)).toMatchObject({ pattern: 'action-error', count: 3, error: `POST ${PROMO} → 500` });
  });

  it("ignores a third party's request that got no answer (a tracker an ad blocker stopped), not the site's own", () => {
    const tracker = 'https://tracker.example/collect';
    expect(detectErrorLoops(page([apply(1000), requestFailed(1100, tracker, 0), apply(3000), requestFailed(3100, tracker, 0)]))).toEqual([]);
    const [flag] = detectErrorLoops(page([apply(1000), requestFailed(1100, PROMO, 0), apply(3000), requestFailed(3100, PROMO, 0)]));
    expect(flag!.reason).toMatch(/each time it failed: POST https:\/\/shop\.test\/api\/promo did not get through \(network error\)\.$/);
  });
});
