import { describe, expect, it } from 'vitest';
import { clickPayload, fraction, type ClickTarget, type ClickWindow } from './click-payload';

function element(localName: string, position: string, parent: ClickTarget | null, box = { left: 0, top: 0, width: 0, height: 0 }) {
  const el: ClickTarget & { position: string } = {
    localName,
    id: '',
    position,
    parentElement: parent,
    previousElementSibling: null,
    nextElementSibling: null,
    getAttribute: () => null,
    getBoundingClientRect: () => box,
  };
  return el;
}

const win = (): ClickWindow => ({
  innerWidth: 1200,
  innerHeight: 800,
  document: { documentElement: { scrollWidth: 1200, scrollHeight: 3000 } },
  getComputedStyle: (el: { position: string }) => ({ position: el.position }),
});

describe('clickPayload', () => {
  it('gives page coordinates, sizes, selector and the position inside the target as fractions', () => {
    const body = element('body', 'static', null);
    const box = element('div', 'static', body, { left: 100, top: 50, width: 400, height: 200 });
    const payload = clickPayload({ pageX: 200.4, pageY: 1150.6, clientX: 200, clientY: 150, detail: 1 }, box, win());
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
    });
  });

  it.each(['fixed', 'sticky'])('marks a target inside a %s ancestor', (position) => {
    const body = element('body', 'static', null);
    const header = element('header', position, body);
    const button = element('button', 'static', header, { left: 0, top: 0, width: 10, height: 10 });
    expect(clickPayload({ pageX: 5, pageY: 900, clientX: 5, clientY: 5, detail: 2 }, button, win()).fixed).toBe(true);
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
