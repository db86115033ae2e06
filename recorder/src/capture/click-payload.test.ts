import { describe, expect, it } from 'vitest';
import { hiddenTextSelector } from '../privacy/privacy-options';
import { clickPayload, fraction, targetInfo, type ClickTarget, type ClickWindow } from './click-payload';

type Fake = ClickTarget & { position: string; cursor: string };

/** Matches the selector forms the code uses: tag, *, .class, [attr], [attr=value]. */
function matches(el: Fake, selector: string): boolean {
  return selector.split(',').some((one) => {
    if (one == '*' || one == el.localName) return true;
    if (one[0] == '.') return (el.getAttribute('class') || '').split(' ').includes(one.slice(1));
    const attr = /^\[([\w-]+)(?:=(.*))?\]$/.exec(one);
    return !!attr && el.getAttribute(attr[1]!) !== null && (attr[2] === undefined || el.getAttribute(attr[1]!) == attr[2]);
  });
}

function element(localName: string, parent: Fake | null, props: Partial<Fake> & { attrs?: Record<string, string> } = {}): Fake {
  const { attrs = {}, ...rest } = props;
  const el: Fake = {
    localName,
    id: '',
    position: 'static',
    cursor: 'auto',
    textContent: '',
    parentElement: parent,
    previousElementSibling: null,
    nextElementSibling: null,
    getAttribute: (name) => attrs[name] ?? null,
    getBoundingClientRect: () => ({ left: 0, top: 0, width: 0, height: 0 }),
    closest: (selector) => {
      for (let at: Fake | null = el; at; at = at.parentElement as Fake | null) if (matches(at, selector)) return at;
      return null;
    },
    ...rest,
  };
  return el;
}

const win = (): ClickWindow => ({
  innerWidth: 1200,
  innerHeight: 800,
  document: { documentElement: { scrollWidth: 1200, scrollHeight: 3000 } },
  getComputedStyle: (el: Fake) => ({ position: el.position, cursor: el.cursor }),
});

const HIDDEN = hiddenTextSelector(false);
const point = { pageX: 5, pageY: 900, clientX: 5, clientY: 5, detail: 1, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };

describe('clickPayload', () => {
  it('gives page coordinates, sizes, selector, the position inside the target as fractions, and what was pressed', () => {
    const body = element('body', null);
    const box = element('div', body, { getBoundingClientRect: () => ({ left: 100, top: 50, width: 400, height: 200 }) });
    const payload = clickPayload({ ...point, pageX: 200.4, pageY: 1150.6, clientX: 200, clientY: 150 }, box, win(), HIDDEN);
    expect(payload).toEqual({
      x: 200,
      y: 1151,
      viewportWidth: 1200,
      viewportHeight: 800,
      documentWidth: 1200,
      documentHeight: 3000,
      selector: 'body>div',
      offsetX: 0.25,
      offsetY: 0.5,
      fixed: false,
      clickCount: 1,
      target: { kind: 'div' },
    });
    // Only what is set reaches the wire.
    expect(JSON.parse(JSON.stringify(payload))).not.toHaveProperty('modifier');
  });

  it.each(['fixed', 'sticky'])('marks a target inside a %s ancestor', (position) => {
    const body = element('body', null);
    const header = element('header', body, { position });
    const button = element('button', header);
    expect(clickPayload({ ...point, detail: 2 }, button, win(), HIDDEN).fixed).toBe(true);
  });

  it.each(['ctrlKey', 'metaKey', 'shiftKey', 'altKey'] as const)('marks a press with %s held', (key) => {
    const body = element('body', null);
    expect(clickPayload({ ...point, [key]: true }, element('a', body), win(), HIDDEN).modifier).toBe(true);
  });

  it('describes the nearest interactive ancestor, with the cursor seen over the element under the pointer', () => {
    const body = element('body', null);
    const button = element('button', body, { textContent: '\n  Add to\n   cart  ' });
    const icon = element('span', button, { cursor: 'pointer' });
    const payload = clickPayload(point, icon, win(), HIDDEN);
    expect(payload.selector).toBe('body>button>span'); // the heatmap keeps the element under the pointer
    expect(payload.target).toEqual({ kind: 'button', text: 'Add to cart', pointer: true });
  });
});

describe('targetInfo', () => {
  const body = element('body', null);

  it('names a link by its URL without query or fragment, and says when it opens another tab', () => {
    const href = 'https://shop.test/help?token=secret#faq';
    expect(targetInfo(element('a', body, { textContent: 'Help', href, target: '_blank' }), true, HIDDEN)).toEqual({
      kind: 'a',
      text: 'Help',
      href: 'https://shop.test/help',
      newTab: true,
      pointer: true,
    });
    expect(targetInfo(element('a', body, { textContent: 'Help', href, target: 'help-window' }), false, HIDDEN).newTab).toBe(true);
    for (const target of ['', '_self', '_TOP', '_parent']) expect(targetInfo(element('a', body, { href, target }), false, HIDDEN).newTab).toBeUndefined();
    // SVG links: href is an object, not a URL string.
    expect(targetInfo(element('a', body, { href: { baseVal: href }, target: { baseVal: '_blank' } }), false, HIDDEN)).toEqual({ kind: 'a' });
  });

  it('falls back to aria-label, alt and title when there is no visible text, and clips long text to 60 characters', () => {
    const labelled = (attrs: Record<string, string>) => targetInfo(element('button', body, { textContent: '  ', attrs }), false, HIDDEN).text;
    expect(labelled({ 'aria-label': 'Close', title: 'x' })).toBe('Close');
    expect(labelled({ alt: 'Logo' })).toBe('Logo');
    expect(labelled({ title: 'Menu' })).toBe('Menu');
    expect(labelled({})).toBeUndefined();
    const long = targetInfo(element('div', body, { textContent: 'word '.repeat(40) }), false, HIDDEN).text!;
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
    // Emails and card numbers in page text are scrubbed, as in error messages.
    expect(targetInfo(element('button', body, { textContent: 'Signed in as jane@shop.test' }), false, HIDDEN).text).toBe('Signed in as [email]');
  });

  it('gives kind, role and editable for fields, never their text', () => {
    const info = (tag: string, props: Partial<Fake> & { attrs?: Record<string, string> } = {}) => targetInfo(element(tag, body, props), false, HIDDEN);
    expect(info('input', { type: 'email', textContent: '', attrs: { 'aria-label': 'Email' } })).toEqual({ kind: 'input:email', editable: true });
    expect(info('input', { type: 'checkbox', attrs: { 'aria-label': 'Agree' } })).toEqual({ kind: 'input:checkbox' });
    expect(info('textarea', { type: 'textarea', textContent: 'default text' })).toEqual({ kind: 'textarea', editable: true });
    expect(info('select', { type: 'select-one', textContent: 'Red Green' })).toEqual({ kind: 'select', editable: true });
    expect(info('div', { isContentEditable: true, textContent: 'what I wrote' })).toEqual({ kind: 'div', editable: true });
    expect(info('input', { type: 'submit', attrs: { title: 'Send' } })).toEqual({ kind: 'input:submit', text: 'Send' });
    expect(info('div', { textContent: 'Shipping', attrs: { role: 'tab' } })).toEqual({ kind: 'div', text: 'Shipping', role: 'tab' });
  });

  it('leaves out text inside masked and blocked parts of the page, and all text with data-mask-text="all"', () => {
    const regions: Array<Record<string, string>> = [{ class: 'price fl-mask' }, { 'data-fl-mask': '' }, { class: 'fl-block' }, { 'data-fl-block': '' }];
    for (const attrs of regions) {
      const region = element('section', body, { attrs });
      const button = element('button', region, { textContent: 'Jane Doe', attrs: { 'aria-label': 'Jane Doe' } });
      expect(targetInfo(button, false, HIDDEN), JSON.stringify(attrs)).toEqual({ kind: 'button' });
    }
    const plain = element('button', body, { textContent: 'Buy' });
    expect(targetInfo(plain, false, HIDDEN).text).toBe('Buy');
    expect(targetInfo(plain, false, hiddenTextSelector(true))).toEqual({ kind: 'button' });
  });
});

describe('fraction', () => {
  it('clamps to 0..1, rounds to three decimals, and is 0 for an empty box', () => {
    expect(fraction(1, 3)).toBe(0.333);
    expect(fraction(-4, 10)).toBe(0);
    expect(fraction(12, 10)).toBe(1);
    expect(fraction(3, 0)).toBe(0);
  });
});
