import { describe, expect, it } from 'vitest';
import { isSensitiveField, type FieldLike } from './is-sensitive-field';

function field(attributes: Record<string, string>, type = 'text'): FieldLike {
  return {
    type,
    id: attributes.id ?? '',
    getAttribute: (name) => attributes[name] ?? null,
    hasAttribute: (name) => name in attributes,
  };
}

describe('isSensitiveField', () => {
  it('takes every password field, also one the page switched to text', () => {
    expect(isSensitiveField(field({ name: 'pw' }, 'password'))).toBe(true);
    expect(isSensitiveField(field({ 'data-rr-is-password': 'true' }))).toBe(true);
    expect(isSensitiveField(field({ autocomplete: 'current-password' }))).toBe(true);
    expect(isSensitiveField(field({ autocomplete: 'one-time-code' }))).toBe(true);
  });

  it.each(['cc-number', 'cc-csc', 'cc-exp', 'cc-name', 'section-pay billing cc-number'])('takes autocomplete=%j', (autocomplete) => {
    expect(isSensitiveField(field({ autocomplete }))).toBe(true);
  });

  it.each([
    'cardnumber',
    'card-number',
    'card_number',
    'cardNumber',
    'card_no',
    'cc-number',
    'ccnum',
    'ccNumber',
    'cc_exp',
    'cvc',
    'card-cvc',
    'cvv2',
    'csc',
    'security-code',
    'securityCode',
    'card-code',
  ])('takes name or id %j', (name) => {
    expect(isSensitiveField(field({ name }))).toBe(true);
    expect(isSensitiveField(field({ id: name }))).toBe(true);
  });

  it.each(['email', 'name', 'cardholder', 'discount-code', 'access', 'success-url', 'phone', 'notes'])('leaves %j alone', (name) => {
    expect(isSensitiveField(field({ name, id: name, autocomplete: 'email' }))).toBe(false);
  });
});
