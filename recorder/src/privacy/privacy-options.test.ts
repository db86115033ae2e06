import { describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER, maskInput, privacyOptions } from './privacy-options';

/** An input with attributes, optionally inside an ancestor matching `closest`. */
function input(attributes: Record<string, string>, type = 'text', insideUnmasked = false): HTMLElement {
  return {
    type,
    id: attributes.id ?? '',
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
    closest: () => ('data-fl-unmask' in attributes || insideUnmasked ? {} : null),
  } as unknown as HTMLElement;
}

describe('maskInput', () => {
  it('masks a plain field character for character', () => {
    expect(maskInput('Grace', input({ name: 'name' }))).toBe('*****');
  });

  it('records an unmasked field, or one inside an unmasked section, as typed', () => {
    expect(maskInput('Blue', input({ name: 'colour', 'data-fl-unmask': '' }))).toBe('Blue');
    expect(maskInput('Blue', input({ name: 'colour' }, 'text', true))).toBe('Blue');
  });

  it('replaces a sensitive value with a fixed placeholder, whatever its length and any unmask', () => {
    for (const value of ['1', '4111 1111 1111 1111', 'a much longer secret passphrase']) {
      expect(maskInput(value, input({ name: 'cardnumber', 'data-fl-unmask': '' }))).toBe(SENSITIVE_PLACEHOLDER);
      expect(maskInput(value, input({ 'data-fl-unmask': '' }, 'password'))).toBe(SENSITIVE_PLACEHOLDER);
    }
  });

  it('keeps an empty sensitive field empty', () => {
    expect(maskInput('', input({ autocomplete: 'cc-csc' }))).toBe('');
  });
});

describe('privacyOptions', () => {
  it('masks only marked text by default, and all text with data-mask-text="all"', () => {
    expect(privacyOptions(false).maskTextSelector).toBe('.fl-mask,[data-fl-mask]');
    expect(privacyOptions(true).maskTextSelector).toBe('*');
  });

  it('routes every input, textarea and select through maskInput, and blocks marked elements', () => {
    const options = privacyOptions(false);
    expect(options.maskInputOptions).toEqual({ input: true, textarea: true, select: true });
    expect(options.maskInputFn).toBe(maskInput);
    expect(options.blockSelector).toBe('.fl-block,[data-fl-block]');
  });
});
