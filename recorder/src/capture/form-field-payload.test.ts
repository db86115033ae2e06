import { describe, expect, it } from 'vitest';
import { formFieldPayload, formPayload, isField, maskTyped, type FieldElement, type FormElement } from './form-field-payload';

const ok = { valid: true, valueMissing: false, typeMismatch: false, customError: false };

/** A fake field with its form, label and a document holding error elements by id. */
function field(overrides: Partial<Record<keyof FieldElement, unknown>> & { attributes?: Record<string, string>; texts?: Record<string, string> } = {}) {
  const { attributes = {}, texts = {}, ...props } = overrides;
  const form = { localName: 'form', id: 'checkout', parentElement: null, children: [], getAttribute: () => null };
  const el = {
    localName: 'input',
    type: 'email',
    id: 'email',
    name: 'email',
    value: '',
    validity: ok,
    validationMessage: '',
    form,
    parentElement: null,
    children: [],
    textContent: '',
    labels: [{ textContent: '  Email\n address ' }],
    ownerDocument: { getElementById: (id: string) => (id in texts ? { textContent: texts[id]! } : null) },
    getAttribute: (name: string) => attributes[name] ?? null,
    ...props,
  };
  return el as unknown as FieldElement;
}

describe('formFieldPayload', () => {
  it('identifies the field and reports emptiness and validity, never the value', () => {
    const payload = formFieldPayload(
      field({ value: 'grace@example.com', validity: { ...ok, valid: false, customError: true }, validationMessage: 'Use your work email.' }),
      'blur',
    );
    expect(payload).toEqual({
      action: 'blur',
      field: { selector: '#email', kind: 'input:email', name: 'email', label: 'Email address', form: '#checkout' },
      empty: false,
      valid: false,
      validity: ['customError'],
      validationMessage: 'Use your work email.',
    });
    expect(JSON.stringify(payload)).not.toContain('grace');
  });

  it('masks typed text that the browser’s message quotes', () => {
    const payload = formFieldPayload(
      field({
        value: 'grace',
        validity: { ...ok, valid: false, typeMismatch: true },
        validationMessage: "Please include an '@' in the email address. 'grace' is missing an '@'.",
      }),
      'invalid',
    );
    expect(payload.validationMessage).toBe("Please include an '@' in the email address. '***' is missing an '@'.");
    expect(payload.validity).toEqual(['typeMismatch']);
  });

  it('reads the site’s own error element when there is no validation message', () => {
    const texts = { 'phone-error': ' Use international format. ', 'phone-hint': 'Include your country code.' };
    const describedBy = { 'aria-describedby': 'phone-hint' };
    // <id>-error is read always; aria-describedby only while the field is invalid (otherwise it is a hint).
    expect(formFieldPayload(field({ id: 'phone', texts }), 'blur').validationMessage).toBe('Use international format.');
    const hintOnly = { 'phone-hint': texts['phone-hint'] };
    expect(formFieldPayload(field({ id: 'phone', texts: hintOnly, attributes: describedBy }), 'blur').validationMessage).toBe('');
    const marked = formFieldPayload(field({ id: 'phone', texts: hintOnly, attributes: { ...describedBy, 'aria-invalid': 'true' } }), 'focus');
    expect(marked.validationMessage).toBe('Include your country code.');
    const explicit = { 'aria-errormessage': 'err-1' };
    expect(formFieldPayload(field({ attributes: explicit, texts: { 'err-1': 'Taken.' } }), 'change').validationMessage).toBe('Taken.');
  });

  it('treats an unchecked box as empty and names selects and textareas by tag', () => {
    expect(formFieldPayload(field({ type: 'checkbox', value: 'on', checked: false }), 'change').empty).toBe(true);
    expect(formFieldPayload(field({ type: 'checkbox', value: 'on', checked: true }), 'change').empty).toBe(false);
    expect(formFieldPayload(field({ localName: 'select', type: 'select-one' }), 'change').field.kind).toBe('select');
  });

  it('keeps a wrapping label’s own text, not its field’s contents, and falls back to aria-label', () => {
    const label = { textContent: 'Bio Prefilled by the server' };
    expect(formFieldPayload(field({ localName: 'textarea', textContent: 'Prefilled by the server', labels: [label] }), 'focus').field.label).toBe('Bio');
    expect(formFieldPayload(field({ labels: [], attributes: { 'aria-label': 'Search' } }), 'focus').field.label).toBe('Search');
    expect(formFieldPayload(field({ labels: [], form: null, name: '' }), 'focus').field).toEqual({ selector: '#email', kind: 'input:email' });
  });
});

describe('maskTyped', () => {
  it('masks the value and quoted text while the field holds a value, but not short ordinary text', () => {
    expect(maskTyped("'.' is used at a wrong position in '.com'.", 'a@.com')).toBe("'.' is used at a wrong position in '***'.");
    expect(maskTyped('Please fill out this field.', 'a')).toBe('Please fill out this field.');
    expect(maskTyped('NOPE-42X is not a valid code.', 'NOPE-42X')).toBe('*** is not a valid code.');
    expect(maskTyped('Choose "Standard" or "Express".', '')).toBe('Choose "Standard" or "Express".');
  });
});

describe('formPayload and isField', () => {
  it('counts fields and lists the invalid ones, by constraint or by aria-invalid', () => {
    const email = field({ validity: { ...ok, valid: false, valueMissing: true } });
    const name = field({ id: 'name', type: 'text', attributes: { 'aria-invalid': 'true' } });
    const city = field({ id: 'city', type: 'text' });
    const submit = field({ id: 'go', type: 'submit' });
    const form = { localName: 'form', id: 'checkout', parentElement: null, children: [], getAttribute: () => null, elements: [email, name, city, submit] };
    expect(formPayload(form as unknown as FormElement, 'submit')).toEqual({ action: 'submit', form: '#checkout', fieldCount: 3, invalidFields: ['#email', '#name'] });
    expect(isField({ localName: 'button', type: 'submit' })).toBe(false);
    expect(isField({ localName: 'input', type: 'hidden' })).toBe(false);
    expect(isField({ localName: 'textarea', type: 'textarea' })).toBe(true);
    expect(isField({})).toBe(false);
  });
});
