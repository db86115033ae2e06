// A CSS selector for an element that survives reloads and redeploys: ids and data-testid, else tag:nth-of-type.

/** What stableSelector reads of an element, so tests can pass plain objects. */
export interface SelectorElement {
  readonly localName: string;
  readonly id: string;
  readonly parentElement: SelectorElement | null;
  readonly previousElementSibling: SelectorElement | null;
  readonly nextElementSibling: SelectorElement | null;
  getAttribute(name: string): string | null;
}

/**
 * Ids generated per render or per visit: React useId (':r1:', '«r1»', also inside Radix ids),
 * counters and timestamps (4+ digits in a row), uuids, and ids starting with a digit.
 */
export const GENERATED_ID = /[:«»]|\d{4}|^\d|[\da-f]{8}-[\da-f]{4}/i;

/**
 * Walks up from the element until an id or data-testid anchors the selector, else to <body>.
 * Classes are never used: CSS-in-JS and CSS-module names change with every build.
 * :nth-of-type appears only where a same-tag sibling makes it necessary. Ids and test ids that
 * would need escaping are passed over, like generated ones.
 */
export function stableSelector(element: SelectorElement): string {
  const parts: string[] = [];
  for (let el: SelectorElement | null = element; el; el = el.parentElement) {
    const { id, localName: tag } = el;
    const testId = el.getAttribute('data-testid');
    if (/^[a-z_-][\w-]*$/i.test(id) && !GENERATED_ID.test(id)) return ['#' + id, ...parts].join('>');
    if (testId && /^[\w.:-]+$/.test(testId)) return [`[data-testid="${testId}"]`, ...parts].join('>');
    let index = 1;
    let same = false;
    for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.localName == tag) index++;
    for (let s = el.nextElementSibling; s && !same; s = s.nextElementSibling) same = s.localName == tag;
    parts.unshift(index > 1 || same ? `${tag}:nth-of-type(${index})` : tag);
    if (tag == 'body') break;
  }
  return parts.join('>');
}
