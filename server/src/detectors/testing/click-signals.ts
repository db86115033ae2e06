// Page signal builders for the rage and dead click tests: times in ms from the page's start, one short call per signal.
import type { ClickEffectKind, ClickTargetInfo } from '../../../../recorder/src/wire/format';
import type { ClickSignal, FieldSignal, MutationSignal, PageSignal } from '../../analysis/page-signals';
import type { DetectorInput } from '../detected-friction';

/** The page's start on the client clock; every builder's `t` is ms after it. */
export const T0 = 1_750_000_000_000;
export const at = (ms: number) => T0 + ms;

export const BUTTON: ClickTargetInfo = { kind: 'button', text: 'Apply', pointer: true };
export const LINK: ClickTargetInfo = { kind: 'a', text: 'Shipping', href: 'https://shop.test/shipping', pointer: true };
export const TEXT: ClickTargetInfo = { kind: 'p', text: 'Free returns within 30 days' };

export type ClickOptions = Partial<Omit<ClickSignal, 'k' | 't'>>;

/** A click on #apply, the 'Apply' button, at (200, 300) unless told otherwise. */
export function click(t: number, options: ClickOptions = {}): ClickSignal {
  return { k: 'click', t: at(t), x: 200, y: 300, sel: '#apply', count: 1, modifier: false, target: BUTTON, ...options };
}

/** `n` clicks `every` ms apart from `t`, counted by the browser as one multi-click (1, 2, 3, …). */
export function clicks(t: number, n: number, every: number, options: ClickOptions = {}): ClickSignal[] {
  return Array.from({ length: n }, (_, i) => click(t + i * every, { count: i + 1, ...options }));
}

export function mutation(t: number, nodes: number[] = [500], structural = false): MutationSignal {
  return { k: 'mutation', t: at(t), nodes, structural, size: nodes.length };
}

/** A node changing every `every` ms from `from` to before `to`: a ticking clock. */
export function ticking(from: number, to: number, every: number, node = 900): MutationSignal[] {
  const out: MutationSignal[] = [];
  for (let t = from; t < to; t += every) out.push(mutation(t, [node]));
  return out;
}

export const scroll = (t: number, id = 1): PageSignal => ({ k: 'scroll', t: at(t), id });
export const input = (t: number, id = 300, checked?: boolean): PageSignal => ({ k: 'input', t: at(t), id, ...(checked === undefined ? {} : { checked }) });
export const selection = (t: number, collapsed = false): PageSignal => ({ k: 'selection', t: at(t), collapsed });
export const effect = (t: number, kind: ClickEffectKind, sel = '#apply'): PageSignal => ({ k: 'effect', t: at(t), effect: kind, sel });
export const view = (t: number, url = 'https://shop.test/next', trigger: 'push-state' | 'hashchange' = 'push-state'): PageSignal => ({
  k: 'view',
  t: at(t),
  url,
  title: 'Shop',
  trigger,
});
export const end = (t: number): PageSignal => ({ k: 'end', t: at(t) });
export const snapshot = (t: number): PageSignal => ({ k: 'snapshot', t: at(t) });
export const submit = (t: number): PageSignal => ({ k: 'form', t: at(t), action: 'submit', form: '#coupon', fieldCount: 1, invalidFields: [] });
export const error = (t: number): PageSignal => ({ k: 'error', t: at(t), kind: 'error', message: 'TypeError: x is undefined' });

export function field(t: number, action: FieldSignal['action'], kind = 'input:text', selector = '#email'): FieldSignal {
  return { k: 'field', t: at(t), action, field: { selector, kind }, empty: false, valid: action != 'invalid', validity: [], message: '' };
}

/** A page load of these signals in time order (a stable sort, as the analysis pass does). */
export function page(signals: ReadonlyArray<PageSignal | PageSignal[]>, complete = true): DetectorInput {
  return { signals: signals.flat().sort((a, b) => a.t - b.t), complete, url: 'https://shop.test/cart' };
}
