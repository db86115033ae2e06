import { describe, expect, it } from 'vitest';
import type { PageSignal } from '../analysis/page-signals';
import { goalCompletionTs, goalNeedles, urlMatches } from './goal-completion';

const T = 1_700_000_000_000;
const SHOP = 'https://shop.example';
const view = (t: number, url: string, trigger: 'load' | 'push-state' = 'load'): PageSignal => ({ k: 'view', t, url, title: '', trigger });
const submit = (t: number, form: string, invalidFields: string[] = []): PageSignal => ({ k: 'form', t, action: 'submit', form, fieldCount: 3, invalidFields });
const invalid = (t: number, selector: string, form: string): PageSignal => ({
  k: 'field', t, action: 'invalid', field: { selector, kind: 'input:text', form }, empty: false, valid: false, validity: ['customError'], message: 'Bad',
});
const end = (t: number): PageSignal => ({ k: 'end', t });
const mutation = (t: number): PageSignal => ({ k: 'mutation', t, nodes: [5], structural: true, size: 1 });

describe('urlMatches', () => {
  it('matches the path against the pattern, ignoring origin, query and fragment', () => {
    expect(urlMatches('/checkout/thanks*', `${SHOP}/checkout/thanks.html?order=12#top`)).toBe(true);
    expect(urlMatches('/checkout/thanks*', `${SHOP}/checkout/thanks`)).toBe(true);
    expect(urlMatches('/checkout/thanks*', `${SHOP}/checkout/thanks/more`)).toBe(false);
    expect(urlMatches('/product/*', `${SHOP}/product/mug`)).toBe(true);
    expect(urlMatches('/shop/**', `${SHOP}/shop/a/b/c`)).toBe(true);
  });
});

describe('goalCompletionTs', () => {
  it('page: the first page view whose path matches, route changes included', () => {
    const signals = [view(T, `${SHOP}/cart`), view(T + 500, `${SHOP}/checkout/thanks?order=1`, 'push-state'), view(T + 900, `${SHOP}/checkout/thanks`, 'push-state')];
    expect(goalCompletionTs({ kind: 'page', pattern: '/checkout/thanks*' }, signals, `${SHOP}/cart`)).toBe(T + 500);
    expect(goalCompletionTs({ kind: 'page', pattern: '/account' }, signals, `${SHOP}/cart`)).toBeNull();
    // Without a page view signal the load's URL stands in, at the page's first signal.
    expect(goalCompletionTs({ kind: 'page', pattern: '/thanks*' }, [mutation(T + 3)], `${SHOP}/thanks.html`)).toBe(T + 3);
  });

  it('event: the first track call with exactly the name', () => {
    const signals: PageSignal[] = [view(T, `${SHOP}/`), { k: 'track', t: T + 10, name: 'signup-started' }, { k: 'track', t: T + 20, name: 'signup' }];
    expect(goalCompletionTs({ kind: 'event', event: 'signup' }, signals, `${SHOP}/`)).toBe(T + 20);
    expect(goalCompletionTs({ kind: 'event', event: 'Signup' }, signals, `${SHOP}/`)).toBeNull();
  });

  it('form: a submit of that form on a matching page that went through, not one that was blocked', () => {
    const goal = { kind: 'form' as const, pattern: '/checkout*', selector: '#checkout-form' };
    const url = `${SHOP}/checkout.html`;
    // Blocked by the site's own validation, then fixed and submitted; the page is left for the thanks page.
    const signals = [view(T, url), submit(T + 100, '#checkout-form'), invalid(T + 110, '#postcode', '#checkout-form'), submit(T + 5000, '#checkout-form'), mutation(T + 5050), end(T + 5800)];
    expect(goalCompletionTs(goal, signals, url)).toBe(T + 5000);
    // The browser blocked it (fields invalid at submit): never a completion.
    expect(goalCompletionTs(goal, [view(T, url), submit(T + 100, '#checkout-form', ['#email']), end(T + 900)], url)).toBeNull();
    // Another form, or the same form on a page the pattern does not cover.
    expect(goalCompletionTs(goal, [view(T, url), submit(T + 100, '#promo-form'), end(T + 900)], url)).toBeNull();
    expect(goalCompletionTs(goal, [view(T, `${SHOP}/cart.html`), submit(T + 100, '#checkout-form'), end(T + 900)], `${SHOP}/cart.html`)).toBeNull();
  });

  it('form: a submit whose page has not answered yet is not a completion until it does', () => {
    const goal = { kind: 'form' as const, pattern: '/checkout*', selector: '#checkout-form' };
    const url = `${SHOP}/checkout.html`;
    const sofar = [view(T, url), submit(T + 100, '#checkout-form')];
    expect(goalCompletionTs(goal, sofar, url)).toBeNull();
    expect(goalCompletionTs(goal, [...sofar, end(T + 800)], url)).toBe(T + 100);
  });
});

describe('goalNeedles', () => {
  it('names text a page that completes the goal must hold', () => {
    expect(goalNeedles({ kind: 'page', pattern: '/checkout/thanks*' })).toEqual(['/checkout/thanks']);
    expect(goalNeedles({ kind: 'page', pattern: '/*/thanks/**' })).toEqual(['/thanks/']);
    expect(goalNeedles({ kind: 'event', event: 'sign "up"' })).toEqual(['"sign \\"up\\""']);
    expect(goalNeedles({ kind: 'form', pattern: '/c', selector: '#checkout-form' })).toEqual(['"#checkout-form"', '"action":"submit"']);
    // Every signal of a completing page, as the pass stores it, holds them.
    const json = JSON.stringify([view(T, `${SHOP}/checkout/thanks.html`), { k: 'track', t: T, name: 'sign "up"' }, submit(T, '#checkout-form')]);
    for (const needle of [...goalNeedles({ kind: 'page', pattern: '/checkout/thanks*' }), ...goalNeedles({ kind: 'event', event: 'sign "up"' }), ...goalNeedles({ kind: 'form', pattern: '/c', selector: '#checkout-form' })]) {
      expect(json).toContain(needle);
    }
  });
});
