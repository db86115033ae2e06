// Names a form and a field the way a person would, for the sentence a friction flag carries.
import type { FieldRef } from '../../../recorder/src/wire/format';

/** "#checkout-form" → "the checkout form", '[data-testid="newsletterSignup"]' → "the newsletter signup form"; a form without an id or test id → "a form". */
export function describeForm(selector: string): string {
  const last = selector.split('>').pop() ?? '';
  const name = (/^#([\w-]+)$/.exec(last) ?? /^\[data-testid="([^"]+)"\]$/.exec(last) ?? [])[1] ?? '';
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_.:-]+/)
    .map((word) => word.toLowerCase())
    .filter(Boolean);
  if (words.at(-1) === 'form') words.pop();
  return words.length ? `the ${words.join(' ')} form` : 'a form';
}

/** The field's label, else its name, quoted; "a field" when it has neither. */
export function describeField(ref: FieldRef | undefined): string {
  const name = ref?.label || ref?.name;
  return name ? `'${name}'` : 'a field';
}
