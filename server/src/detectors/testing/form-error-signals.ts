// Page signal builders for the form abandonment and error loop tests: short calls that read like the visit they describe.
import type {
  ClickSignal,
  EndSignal,
  ErrorSignal,
  FieldSignal,
  FormSignal,
  InputSignal,
  MutationSignal,
  PageSignal,
  RequestFailedSignal,
  ViewSignal,
} from '../../analysis/page-signals';
import type { ClickTargetInfo, FieldRef, PageViewTrigger } from '../../../../recorder/src/wire/format';
import type { DetectorInput } from '../detected-friction';

export const PAGE_URL = 'https://shop.test/checkout.html';
export const CHECKOUT = '#checkout-form';

export interface FieldOptions {
  /** The field's form selector; null for a field outside any form. Default CHECKOUT. */
  form?: string | null;
  label?: string;
  name?: string;
  kind?: string;
  empty?: boolean;
  valid?: boolean;
  message?: string;
}

export function field(t: number, action: FieldSignal['action'], selector: string, options: FieldOptions = {}): FieldSignal {
  const { form = CHECKOUT, label, name, kind = 'input:text', empty = true, valid = true, message = '' } = options;
  const ref: FieldRef = { selector, kind, ...(name ? { name } : {}), ...(label ? { label } : {}), ...(form ? { form } : {}) };
  return { k: 'field', t, action, field: ref, empty, valid, validity: valid ? [] : ['customError'], message };
}

/**
 * A visitor typing a value into a field: focus (empty), keystrokes, then change and blur with the
 * value in place, `ms` after the focus. Pass `leave: false` for a visitor who never left the field.
 */
export function fill(t: number, selector: string, options: FieldOptions & { ms?: number; leave?: boolean } = {}): PageSignal[] {
  const { ms = 2000, leave = true, ...rest } = options;
  const typed = { ...rest, empty: false };
  const signals: PageSignal[] = [field(t, 'focus', selector, { ...rest, empty: true, valid: true, message: '' }), typing(t + ms / 2)];
  if (leave) signals.push(field(t + ms, 'change', selector, typed), field(t + ms, 'blur', selector, typed));
  return signals;
}

export const typing = (t: number, id = 42): InputSignal => ({ k: 'input', t, id });

export const submit = (t: number, form = CHECKOUT, invalidFields: string[] = []): FormSignal => ({
  k: 'form',
  t,
  action: 'submit',
  form,
  fieldCount: 9,
  invalidFields,
});

export const click = (t: number, sel: string, target?: ClickTargetInfo): ClickSignal => ({
  k: 'click',
  t,
  x: 100,
  y: 200,
  sel,
  count: 1,
  modifier: false,
  ...(target ? { target } : {}),
});

export const button = (text: string): ClickTargetInfo => ({ kind: 'button', text, pointer: true });

export const mutation = (t: number): MutationSignal => ({ k: 'mutation', t, nodes: [12], structural: true, size: 1 });

export const view = (t: number, url: string, trigger: PageViewTrigger = 'push-state'): ViewSignal => ({ k: 'view', t, url, title: 'Shop', trigger });

export const end = (t: number): EndSignal => ({ k: 'end', t });

export const error = (t: number, message: string, source: string | undefined = 'https://shop.test/app.js'): ErrorSignal => ({
  k: 'error',
  t,
  kind: 'error',
  message,
  ...(source ? { source } : {}),
});

export const requestFailed = (t: number, url: string, status = 500, method = 'POST'): RequestFailedSignal => ({
  k: 'request-failed',
  t,
  method,
  url,
  status,
  durationMs: 50,
  initiator: 'fetch',
});

/** A detector input: the load page view first, then the signals in time order (ties keep their order). */
export function page(signals: Array<PageSignal | PageSignal[]>, complete = true): DetectorInput {
  const sorted = [view(0, PAGE_URL, 'load'), ...signals.flat()].sort((a, b) => a.t - b.t);
  return { signals: sorted, complete, url: PAGE_URL };
}
