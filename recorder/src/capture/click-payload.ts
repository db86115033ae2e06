// What a heatmap and the friction detectors need of one click: where on the page, on which element, where inside it, and what was pressed.
import type { ClickPayload, ClickTargetInfo } from '../wire/custom-events';
import { clipMessage } from './clip-text';
import { fieldKind, isField } from './form-field-payload';
import { stableSelector, type SelectorElement } from './stable-selector';
import { stripUrl } from './strip-url';

/** Enough to name a button or a link in a friction flag. */
export const TARGET_TEXT_MAX_CHARS = 60;
/** A press acts on the nearest of these around the element under the pointer. */
export const INTERACTIVE_SELECTOR =
  'a,button,input,select,textarea,label,summary,[contenteditable],[role=button],[role=link],[role=tab],[role=menuitem],[role=checkbox],[role=switch],[role=option]';
/** Inputs a click toggles or opens rather than types into. */
const UNTYPED_INPUT = /^(checkbox|radio|range|color|file|submit|button|reset|image)$/;

/** The parts of the pressed element we read; tests pass plain objects. */
export interface PressedElement extends SelectorElement {
  readonly textContent: string | null;
  readonly type?: string;
  /** A string on HTML links; SVG links have an object here, and are described without it. */
  readonly href?: unknown;
  readonly target?: unknown;
  readonly isContentEditable?: boolean;
  closest(selector: string): PressedElement | null;
}

export interface ClickTarget extends PressedElement {
  readonly parentElement: ClickTarget | null;
  getBoundingClientRect(): Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>;
}

export interface ClickWindow {
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly document: { readonly documentElement: Pick<Element, 'scrollWidth' | 'scrollHeight'> };
  getComputedStyle(element: any): Pick<CSSStyleDeclaration, 'position' | 'cursor'>;
}

type ClickPoint = Pick<MouseEvent, 'pageX' | 'pageY' | 'clientX' | 'clientY' | 'detail' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * Layout reads (box, computed styles, document size) happen here, once per click, never on a hot path.
 * hiddenText selects the parts of the page whose text is masked or blocked (privacy-options.ts).
 */
export function clickPayload(event: ClickPoint, target: ClickTarget, win: ClickWindow, hiddenText: string): ClickPayload {
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
    modifier: event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || undefined,
    // The cursor the visitor saw is the one over the element under the pointer (it inherits).
    target: targetInfo(target.closest(INTERACTIVE_SELECTOR) || target, win.getComputedStyle(target).cursor == 'pointer', hiddenText),
  };
}

/** Flags and text only where they say something: a few bytes per click on the wire. */
export function targetInfo(el: PressedElement, pointer: boolean, hiddenText: string): ClickTargetInfo {
  const attr = (name: string) => el.getAttribute(name);
  const tag = el.localName;
  // A field's text would be its value or its options; an editor's, what the visitor wrote.
  const field = isField(el) || el.isContentEditable;
  const href = typeof el.href == 'string' && el.href ? stripUrl(el.href) : undefined;
  return {
    kind: fieldKind(el),
    text:
      field || el.closest(hiddenText)
        ? undefined
        : clipMessage(el.textContent, TARGET_TEXT_MAX_CHARS) || clipMessage(attr('aria-label') || attr('alt') || attr('title'), TARGET_TEXT_MAX_CHARS) || undefined,
    role: attr('role') || undefined,
    href,
    // _blank, or a named window: both open elsewhere (a named one may be reused, still not this tab).
    newTab: (href && typeof el.target == 'string' && !!el.target && !/^_(self|parent|top)$/i.test(el.target)) || undefined,
    editable: (field && !(tag == 'input' && UNTYPED_INPUT.test(el.type!))) || undefined,
    pointer: pointer || undefined,
  };
}

/** 0..1 to three decimals; 0 for an empty box. */
export function fraction(part: number, whole: number): number {
  return whole > 0 ? Math.round(Math.min(1, Math.max(0, part / whole)) * 1000) / 1000 : 0;
}
