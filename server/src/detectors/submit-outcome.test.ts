import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { originOf, submitOutcome, type SubmitScope } from './submit-outcome';
import { CHECKOUT, click, end, field, mutation, requestFailed, submit, view } from './testing/form-error-signals';

const scope: SubmitScope = { form: CHECKOUT, invalidFields: [], origin: 'https://shop.test', windowMs: 5000 };
/** The outcome of a submit at t=1000 followed by `after`. */
const outcome = (after: PageSignal[], overrides: Partial<SubmitScope> = {}) => submitOutcome([submit(1000), ...after], 0, { ...scope, ...overrides });

describe('submitOutcome', () => {
  it('is blocked when fields were invalid at submit, whatever follows', () => {
    expect(outcome([end(1500)], { invalidFields: ['#email'] })).toBe('blocked');
  });

  it('goes through when the page ends or the route changes with the visitor doing nothing, however late', () => {
    expect(outcome([end(30_000)])).toBe('through');
    expect(outcome([view(12_000, 'https://shop.test/thanks')])).toBe('through');
  });

  it('lets blocking evidence in the window win over a navigation after it', () => {
    expect(outcome([requestFailed(2000, 'https://shop.test/api/orders', 500), end(3000)])).toBe('blocked');
    expect(outcome([field(1800, 'invalid', '#email', { valid: false, message: 'Please fill out this field.' }), end(3000)])).toBe('blocked');
  });

  it('reads a change on the page as an answer, and nothing at all as none', () => {
    expect(outcome([mutation(1300), click(8000, '#nav-shop'), end(8500)])).toBe('through');
    expect(outcome([click(8000, '#nav-shop'), end(8500)])).toBe('unanswered');
    expect(outcome([])).toBe('unanswered');
  });

  it("stops at the visitor's next move on the form, and ignores other forms' fields", () => {
    expect(outcome([field(1500, 'focus', '#q', { form: '#search', valid: false, message: 'x' }), field(2000, 'focus', '#email'), end(3000)])).toBe('unanswered');
    expect(outcome([mutation(5000), field(9000, 'focus', '#email', { valid: false, message: 'Taken.' })])).toBe('through');
  });
});

describe('originOf', () => {
  it('gives the origin of a page URL, or nothing', () => {
    expect(originOf('https://shop.test/checkout.html')).toBe('https://shop.test');
    expect(originOf('')).toBe('');
  });
});
