import { describe, expect, it } from 'vitest';
import { scrubPersonalData } from './scrub-personal-data';

describe('scrubPersonalData', () => {
  it('replaces email addresses', () => {
    expect(scrubPersonalData('no account for Jane.Doe+shop@mail.example.co.uk, retry')).toBe('no account for [email], retry');
    expect(scrubPersonalData('a@b.io and x_y%z@sub-domain.test')).toBe('[email] and [email]');
  });

  it('replaces card numbers however they are grouped, when they pass the Luhn check', () => {
    // Test numbers published by card networks and payment providers.
    expect(scrubPersonalData('charge failed for 4242 4242 4242 4242')).toBe('charge failed for [card]');
    expect(scrubPersonalData('card=5555-5555-5555-4444;')).toBe('card=[card];');
    expect(scrubPersonalData('amex 378282246310005 declined')).toBe('amex [card] declined');
    expect(scrubPersonalData('19 digits 6011111111111111110 ok')).toBe('19 digits [card] ok');
  });

  it('leaves other numbers, and text without personal data, as they are', () => {
    const text = 'order 4242424242424241 at 1700000000000 (+33 6 12 34 56 78), TypeError: x is not a function @ app.js:10:5';
    expect(scrubPersonalData(text)).toBe(text);
    expect(scrubPersonalData('version 1.2.3@latest')).toBe('version 1.2.3@latest');
  });
});
