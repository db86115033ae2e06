// What a heatmap needs of one click: where on the page, on which element, and where inside it.
import type { ClickPayload } from '../wire/custom-events';
import { stableSelector, type SelectorElement } from './stable-selector';

export interface ClickTarget extends SelectorElement {
  readonly parentElement: ClickTarget | null;
  getBoundingClientRect(): Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>;
}

export interface ClickWindow {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly document: { readonly documentElement: Pick<Element, 'scrollWidth' | 'scrollHeight'> };
  getComputedStyle(element: any): Pick<CSSStyleDeclaration, 'position'>;
}

type ClickPoint = Pick<MouseEvent, 'pageX' | 'pageY' | 'clientX' | 'clientY' | 'detail'>;

/** Layout reads (box, computed styles, document size) happen here, once per click, never on a hot path. */
export function clickPayload(event: ClickPoint, target: ClickTarget, win: ClickWindow): ClickPayload {
  const box = target.getBoundingClientRect();
  const { scrollWidth, scrollHeight } = win.document.documentElement;
  let fixed = false;
  for (let el: ClickTarget | null = target; el && !fixed; el = el.parentElement) {
    fixed = /fixed|sticky/.test(win.getComputedStyle(el).position);
  }
  return {
    x: Math.round(event.pageX),
    y: Math.round(event.pageY),
    viewportWidth: win.innerWidth,
    viewportHeight: win.innerHeight,
    documentWidth: scrollWidth,
    documentHeight: scrollHeight,
    selector: stableSelector(target),
    offsetX: fraction(event.clientX - box.left, box.width),
    offsetY: fraction(event.clientY - box.top, box.height),
    fixed,
    clickCount: event.detail,
  };
}

/** 0..1 to three decimals; 0 for an empty box. */
export function fraction(part: number, whole: number): number {
  return whole > 0 ? Math.round(Math.min(1, Math.max(0, part / whole)) * 1000) / 1000 : 0;
}
