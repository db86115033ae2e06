// Takes email addresses and payment card numbers out of free text the page wrote: error and console messages, stacks.

export const EMAIL_PLACEHOLDER = '[email]';
export const CARD_PLACEHOLDER = '[card]';

const EMAIL = /[\w.%+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}/gi;
/** 13 to 19 digits, as card numbers are written: grouped by spaces or dashes, or not at all. */
const CARD_LIKE = /\b\d(?:[ -]?\d){12,18}\b/g;

/**
 * A site's own code logs and throws what it has at hand: "no account for jane@shop.test",
 * "charge failed for 4242 4242 4242 4242". The typed values of the form are masked in the replay;
 * these would still reach the server in a message. Numbers are only replaced when they pass the
 * Luhn check, so order ids, timestamps and phone numbers of that length mostly stay readable.
 */
export function scrubPersonalData(text: string): string {
  return text.replace(EMAIL, EMAIL_PLACEHOLDER).replace(CARD_LIKE, (match) => (passesLuhn(match.replace(/\D/g, '')) ? CARD_PLACEHOLDER : match));
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
