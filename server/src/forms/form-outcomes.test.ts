import { describe, expect, it } from 'vitest';
import type { FrictionFlag } from '../api-types';
import type { PageSignal } from '../analysis/page-signals';
import { detectFormAbandonment } from '../detectors/form-abandonment';
import { CHECKOUT, PAGE_URL, end, field, fill, mutation, page, submit, view } from '../detectors/testing/form-error-signals';
import { formOutcomes } from './form-outcomes';

const POSTCODE_ERROR = 'Enter a valid postcode for United Kingdom, e.g. SW1A 1AA.';
const email = { label: 'Email', name: 'email', kind: 'input:email' };
const fullName = { label: 'Full name', name: 'full-name' };
const postcode = { label: 'Postcode', name: 'postcode' };
const CHECKOUT_PATH = 'https://shop.test/checkout.html';

/** The page judged as the pass judges it: the real detector's flags, each with the page view's URL at its moment. */
function outcomesOf(signals: Array<PageSignal | PageSignal[]>, complete = true) {
  const input = page(signals, complete);
  const views = input.signals.filter((s) => s.k === 'view');
  const flags = detectFormAbandonment(input).map((flag) => ({ ...flag, pageId: 'p1', url: views.filter((v) => v.t <= flag.ts).at(-1)!.url }) as FrictionFlag);
  return formOutcomes(input.signals, flags, PAGE_URL);
}

const invalid = (t: number, message: string) => field(t, 'blur', '#postcode', { ...postcode, empty: false, valid: false, message });

describe('formOutcomes', () => {
  it('keeps an abandoned checkout with its drop-off field, the fields touched with their labels, and the message seen', () => {
    const outcomes = outcomesOf([fill(1000, '#email', email), fill(4000, '#full-name', fullName), fill(7000, '#postcode', postcode), invalid(9000, POSTCODE_ERROR), end(20_000)]);
    expect(outcomes).toEqual([
      {
        form: CHECKOUT,
        path: CHECKOUT_PATH,
        submitted: false,
        abandoned: true,
        ts: 9000,
        dropOffField: '#postcode',
        fields: [
          { field: '#email', label: 'Email' },
          { field: '#full-name', label: 'Full name' },
          { field: '#postcode', label: 'Postcode' },
        ],
        errors: [{ field: '#postcode', message: POSTCODE_ERROR }],
      },
    ]);
  });

  it('keeps a submit that went through (the page left after it) at its moment, with nothing abandoned', () => {
    const outcomes = outcomesOf([fill(1000, '#email', email), fill(4000, '#full-name', fullName), submit(7000), end(7500)]);
    expect(outcomes).toEqual([{ form: CHECKOUT, path: CHECKOUT_PATH, submitted: true, abandoned: false, ts: 7000, dropOffField: null, fields: [], errors: [] }]);
  });

  it('counts neither a blocked submit (a field reported invalid at once) as through, nor the form before its page is complete', () => {
    const blocked = [fill(1000, '#email', email), fill(4000, '#postcode', postcode), submit(7000), invalid(7100, POSTCODE_ERROR)];
    expect(outcomesOf(blocked, false)).toEqual([]);
    const [outcome] = outcomesOf([...blocked, end(30_000)]);
    expect(outcome).toMatchObject({ submitted: false, abandoned: true, ts: 7100, dropOffField: '#postcode', errors: [{ field: '#postcode', message: POSTCODE_ERROR }] });
  });

  it('keeps one outcome per form and page URL: a form abandoned on one route and submitted on the next', () => {
    const signup = 'https://shop.test/signup';
    const outcomes = outcomesOf([
      fill(1000, '#email', email),
      fill(4000, '#postcode', postcode),
      view(8000, `${signup}?step=1`),
      fill(9000, '#email', email),
      fill(12_000, '#full-name', fullName),
      submit(15_000),
      mutation(15_200),
      end(16_000),
    ]);
    expect(outcomes.map(({ path, submitted, abandoned, ts }) => ({ path, submitted, abandoned, ts }))).toEqual([
      { path: signup, submitted: true, abandoned: false, ts: 15_000 },
      { path: CHECKOUT_PATH, submitted: false, abandoned: true, ts: 6000 },
    ]);
  });

  it('leaves out fields outside any form, which no submit can be counted for', () => {
    const loose = { form: null, kind: 'input:text' };
    const outcomes = outcomesOf([fill(1000, 'body>div>input:nth-of-type(1)', { ...loose, label: 'A' }), fill(4000, 'body>div>input:nth-of-type(2)', { ...loose, label: 'B' }), end(9000)]);
    expect(outcomes).toEqual([]);
  });
});
