// Describes a form field at one moment (identity, emptiness, validity, the message shown), never its value.
import type { FormFieldPayload, FormPayload } from '../wire/custom-events';
import { clipText } from './clip-text';
import { stableSelector, type SelectorElement } from './stable-selector';

export const LABEL_MAX_CHARS = 100;
export const MESSAGE_MAX_CHARS = 300;

/** The parts of an input, select or textarea we read; tests pass plain objects. */
export interface FieldElement extends SelectorElement {
  readonly type: string;
  readonly name: string;
  readonly value: string;
  readonly checked?: boolean;
  readonly textContent: string | null;
  readonly validity: ValidityState | Record<string, boolean>;
  readonly validationMessage: string;
  readonly form: SelectorElement | null;
  readonly labels: ArrayLike<{ readonly textContent: string | null }> | null;
  readonly ownerDocument: { getElementById(id: string): { readonly textContent: string | null } | null };
}

export interface FormElement extends SelectorElement {
  readonly elements: ArrayLike<unknown>;
}

/** Inputs people fill in; buttons are clicks, hidden inputs are not seen. */
export function isField(el: any): el is FieldElement {
  return /^(input|select|textarea)$/.test(el.localName) && !/submit|button|reset|image|hidden/.test(el.type);
}

/** Tag plus type for inputs: 'input:email', 'select', 'button'. */
export const fieldKind = (el: { readonly localName: string; readonly type?: string }) => el.localName + (el.localName == 'input' ? ':' + el.type : '');

/** By constraint validation, or marked by a site that validates on its own. */
const isInvalid = (el: FieldElement) => !el.validity.valid || el.getAttribute('aria-invalid') == 'true';

export function formFieldPayload(el: FieldElement, action: FormFieldPayload['action']): FormFieldPayload {
  const validity = el.validity as Record<string, boolean>;
  const flags: string[] = [];
  // ValidityState's flags are enumerable getters on its prototype, so for-in lists them all.
  for (const flag in validity) if (flag != 'valid' && validity[flag]) flags.push(flag);
  const label = el.labels && el.labels[0];
  return {
    action,
    field: {
      selector: stableSelector(el),
      kind: fieldKind(el),
      name: el.name || undefined,
      // A label wrapping a textarea or select holds its default text or options: not the label.
      label: clipText((label ? label.textContent! : el.getAttribute('aria-label') || '').replace(el.textContent!, ''), LABEL_MAX_CHARS) || undefined,
      form: el.form ? stableSelector(el.form) : undefined,
    },
    empty: /checkbox|radio/.test(el.type) ? !el.checked : !el.value,
    valid: !!validity.valid,
    validity: flags,
    validationMessage: shownMessage(el),
  };
}

/** Fields counted and those invalid (constraint validation or aria-invalid) when the page's handlers ran. */
export function formPayload(form: FormElement, action: FormPayload['action']): FormPayload {
  const fields = Array.from(form.elements).filter(isField);
  return { action, form: stableSelector(form), fieldCount: fields.length, invalidFields: fields.filter(isInvalid).map(stableSelector) };
}

/**
 * The browser's or setCustomValidity's message, else the text of the site's own error element:
 * aria-errormessage, the `<id>-error` convention, and, only while invalid, aria-describedby
 * (which otherwise points at hints). Text the visitor typed is masked (maskTyped).
 */
function shownMessage(el: FieldElement): string {
  let text = el.validationMessage;
  const ids = `${el.getAttribute('aria-errormessage') || ''} ${el.id}-error ${(isInvalid(el) && el.getAttribute('aria-describedby')) || ''}`;
  for (const id of ids.split(' ')) {
    const shown = el.ownerDocument.getElementById(id);
    text ||= shown ? shown.textContent!.trim() : '';
  }
  return maskTyped(clipText(text, MESSAGE_MAX_CHARS), el.value);
}

/**
 * Chrome quotes what was typed ("'grace' is missing an '@'", "'.' is used at a wrong position
 * in '.com'") and sites echo it: the value itself (3+ characters; shorter would mask ordinary
 * words) and every quoted text of 2+ characters become '***' while the field holds a value.
 */
export function maskTyped(message: string, value: string): string {
  if (!value) return message;
  const masked = value.length > 2 ? message.split(value).join('***') : message;
  return masked.replace(/(['"])([^'"]*)\1/g, (quoted, quote: string, inner: string) => (inner.length > 1 ? quote + '***' + quote : quoted));
}
