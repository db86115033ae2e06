import { describe, expect, it } from 'vitest';
import { stableSelector, type SelectorElement } from './stable-selector';

interface Fake extends SelectorElement {
  parentElement: Fake | null;
  previousElementSibling: Fake | null;
  nextElementSibling: Fake | null;
}

/** A tiny element tree: el('div', {id: 'x'}, child, child…). */
function el(localName: string, attributes: Record<string, string> = {}, ...children: Fake[]): Fake {
  const node: Fake = {
    localName,
    id: attributes.id ?? '',
    parentElement: null,
    previousElementSibling: null,
    nextElementSibling: null,
    getAttribute: (name) => attributes[name] ?? null,
  };
  children.forEach((child, i) => {
    child.parentElement = node;
    child.previousElementSibling = children[i - 1] ?? null;
    child.nextElementSibling = children[i + 1] ?? null;
  });
  return node;
}

function page(...bodyChildren: Fake[]): Fake {
  return el('html', {}, el('head'), el('body', {}, ...bodyChildren));
}

describe('stableSelector', () => {
  it('stops at the nearest usable id', () => {
    const button = el('button');
    page(el('main', { id: 'checkout' }, el('div', {}, button)));
    expect(stableSelector(button)).toBe('#checkout>div>button');
  });

  it('uses the element’s own id', () => {
    const input = el('input', { id: 'email' });
    page(input);
    expect(stableSelector(input)).toBe('#email');
  });

  it('anchors on data-testid', () => {
    const span = el('span');
    page(el('div', { 'data-testid': 'cart.mini' }, span));
    expect(stableSelector(span)).toBe('[data-testid="cart.mini"]>span');
  });

  it('adds :nth-of-type only among same-tag siblings', () => {
    const second = el('li');
    page(el('h2'), el('ul', {}, el('li'), second, el('p')));
    expect(stableSelector(second)).toBe('body>ul>li:nth-of-type(2)');
    const heading = el('h2');
    page(heading, el('div'), el('div'));
    expect(stableSelector(heading)).toBe('body>h2');
  });

  it.each([':r1:', '«r5»', 'radix-:R2ab:-trigger', 'ember1234', 'mui-883421', '1st', 'a1b2c3d4-e5f6-4789-a012-b3c4d5e6f7a8'])(
    'skips the generated id %s',
    (id) => {
      const button = el('button', { id });
      page(el('div', { id: 'menu' }, el('button'), button));
      expect(stableSelector(button)).toBe('#menu>button:nth-of-type(2)');
    },
  );

  it('keeps ordinary ids with short numbers, and passes over ids and test ids that need escaping', () => {
    const a = el('a', { id: 'step-2' });
    const b = el('a', { id: 'faq.shipping', 'data-testid': 'say "hi"' });
    page(a, b);
    expect(stableSelector(a)).toBe('#step-2');
    expect(stableSelector(b)).toBe('body>a:nth-of-type(2)');
  });

  it('never uses classes', () => {
    const div = el('div', { class: 'css-1x2y3z Button_primary__a8F2k' });
    page(div);
    expect(stableSelector(div)).toBe('body>div');
  });

  it('stops at the top of a detached tree or shadow root', () => {
    const leaf = el('span');
    el('section', {}, leaf);
    expect(stableSelector(leaf)).toBe('section>span');
  });
});
