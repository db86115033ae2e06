import { describe, expect, it } from 'vitest';
import { describeField, describeForm } from './describe-form';

describe('describeForm', () => {
  it('names a form by its id or test id, in words', () => {
    expect(describeForm('#checkout-form')).toBe('the checkout form');
    expect(describeForm('[data-testid="newsletterSignup"]')).toBe('the newsletter signup form');
    expect(describeForm('#main>#billing_address')).toBe('the billing address form');
  });

  it('falls back to "a form" when the selector holds no name', () => {
    expect(describeForm('body>main>form:nth-of-type(2)')).toBe('a form');
    expect(describeForm('#form')).toBe('a form');
  });
});

describe('describeField', () => {
  it('quotes the label, else the name', () => {
    expect(describeField({ selector: '#postcode', kind: 'input:text', name: 'postcode', label: 'Postcode' })).toBe("'Postcode'");
    expect(describeField({ selector: '#zip', kind: 'input:text', name: 'zip' })).toBe("'zip'");
    expect(describeField({ selector: '#x', kind: 'input:text' })).toBe('a field');
  });
});
