// Test support: form actions as the recorder sends them (field events with the site's validation messages, submits), for recordVisit's page loads.
import type { eventWithTime } from '@rrweb/types';
import { CUSTOM_EVENT_TAGS } from '../../../../recorder/src/wire/format';

export type Emit = (t: number) => eventWithTime[];

export const CHECKOUT = '#checkout-form';

export interface FieldSpec {
  selector: string;
  label: string;
  /** The field's form; CHECKOUT by default. */
  form?: string;
}

export const EMAIL: FieldSpec = { selector: '#email', label: 'Email' };
export const FULL_NAME: FieldSpec = { selector: '#full-name', label: 'Full name' };
export const POSTCODE: FieldSpec = { selector: '#postcode', label: 'Postcode' };

const custom = (t: number, tag: string, payload: unknown) => ({ type: 5, timestamp: t, data: { tag, payload } }) as eventWithTime;

function fieldEvent(t: number, action: string, spec: FieldSpec, empty: boolean, message = ''): eventWithTime {
  const field = { selector: spec.selector, kind: 'input:text', name: spec.selector.slice(1), label: spec.label, form: spec.form ?? CHECKOUT };
  const validity = message ? ['customError'] : [];
  return custom(t, CUSTOM_EVENT_TAGS.formField, { action, field, empty, valid: !message, validity, validationMessage: message });
}

/**
 * Focus, typing, change and blur of one field over 500 ms: a field filled in. With `message`, the
 * site's own validation marks it invalid as it is left (the blur carries the message), as the demo's
 * checkout does; the field's last signal is then that blur, at t + 500.
 */
export const fillField = (spec: FieldSpec, message?: string): Emit => (t) => [
  fieldEvent(t, 'focus', spec, true),
  { type: 3, timestamp: t + 200, data: { source: 5, id: 40, text: '****', isChecked: false } } as eventWithTime,
  fieldEvent(t + 400, 'change', spec, false),
  fieldEvent(t + 500, 'blur', spec, false, message),
];

/** A submit event of the form; with `invalid`, the site refuses it at once by marking that field invalid 100 ms later. */
export const submitForm = (form = CHECKOUT, invalid?: { spec: FieldSpec; message: string }): Emit => (t) => [
  custom(t, CUSTOM_EVENT_TAGS.form, { action: 'submit', form, fieldCount: 3, invalidFields: [] }),
  ...(invalid ? [fieldEvent(t + 100, 'invalid', invalid.spec, false, invalid.message)] : []),
];
