// rrweb's masking and blocking options: what of the page and its inputs a recording may contain.
import { isSensitiveField } from './is-sensitive-field';

/** Text inside these elements is recorded as asterisks. */
export const MASK_TEXT_SELECTOR = '.fl-mask,[data-fl-mask]';
/** These elements are recorded as an empty box of the same size; nothing inside them is recorded. */
export const BLOCK_SELECTOR = '.fl-block,[data-fl-block]';
/** Inputs inside (or being) these elements are recorded as typed, unless they are sensitive. */
export const UNMASK_INPUT_SELECTOR = '.fl-unmask,[data-fl-unmask]';
/** What a sensitive field's value is recorded as, whatever its length, so the replay does not leak the length. */
export const SENSITIVE_PLACEHOLDER = '********';

/** Elements whose text must not leave the page in our own events either: masked or blocked, or all of them. */
export const hiddenTextSelector = (maskAllText?: boolean) => (maskAllText ? '*' : MASK_TEXT_SELECTOR + ',' + BLOCK_SELECTOR);

/**
 * Masks an input's value. rrweb calls this for every field kind named in maskInputOptions; the
 * sensitive check comes first, so no configuration or attribute can unmask a password or card field.
 */
export function maskInput(text: string, field: HTMLElement): string {
  if (isSensitiveField(field)) return text && SENSITIVE_PLACEHOLDER;
  return field.closest(UNMASK_INPUT_SELECTOR) ? text : '*'.repeat(text.length);
}

/**
 * rrweb's maskAllInputs lists input types, so hidden and file inputs would escape it; the
 * `input` tag key (rrweb checks the tag name before the type) sends every input, textarea and
 * select through maskInput instead. maskAllText ("*") is data-mask-text="all".
 */
export function privacyOptions(maskAllText: boolean) {
  return {
    blockSelector: BLOCK_SELECTOR,
    maskTextSelector: maskAllText ? '*' : MASK_TEXT_SELECTOR,
    maskInputOptions: { input: true, textarea: true, select: true } as {},
    maskInputFn: maskInput,
  };
}
