// Tells whether a form field holds a secret (a password, a card number or code) that must never be recorded.

/** autocomplete tokens of card data (cc-number, cc-csc, cc-exp…), passwords and one-time codes. */
const SENSITIVE_AUTOCOMPLETE = /\bcc-|password|one-time-code/i;

/**
 * name/id spellings of card numbers, expiry dates and security codes seen on checkout forms:
 * cardnumber, card-number, card_no, cc-number, ccnum, cc_exp, card-code, cvc, cvv2, csc, security-code.
 */
const SENSITIVE_NAME = /(card|cc).?(num|no\b|exp|code)|cvc|cvv|csc|security.?code/i;

/** The bits of an element we read, so tests can pass a plain object. */
export type FieldLike = Pick<Element, 'id' | 'getAttribute' | 'hasAttribute'> & { type?: string };

/**
 * rrweb marks a password field whose type the page switched to text ("show password") with
 * data-rr-is-password, so it stays a password field for us too.
 */
export function isSensitiveField(field: FieldLike): boolean {
  return (
    field.type === 'password' ||
    field.hasAttribute('data-rr-is-password') ||
    SENSITIVE_AUTOCOMPLETE.test(field.getAttribute('autocomplete') || '') ||
    SENSITIVE_NAME.test(`${field.getAttribute('name')} ${field.id}`)
  );
}
