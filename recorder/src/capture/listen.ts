// Shared plumbing of the capture observers: guarded passive listeners and reversible patches of page APIs.
import type { Guard } from '../guard';
import type { CustomEventPayloads, CustomEventTag } from '../wire/custom-events';

/** Emits one of our custom events into the recording. */
export type Emit = <T extends CustomEventTag>(tag: T, payload: CustomEventPayloads[T]) => void;
/** The recorder's guard: a fault inside stops recording instead of throwing into the page. */
export type Wrap = Guard['wrap'];
export type Teardown = () => void;
/** The page's window with its globals (console, XMLHttpRequest, HTMLInputElement…). */
export type PageWindow = Window & typeof globalThis;

/** What every observer gets: observeX(capture) => teardown. */
export interface Capture {
  win: PageWindow;
  emit: Emit;
  wrap: Wrap;
  /** Selector of the parts of the page whose text is masked or blocked (privacy-options.ts). */
  hiddenText: string;
  /** listen() on the window, through the guard. */
  on(type: string, listener: (event: any) => unknown, bubble?: boolean): Teardown;
}

type Target = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/**
 * Always passive (we never cancel anything). Capture phase unless `bubble`, so a page calling
 * stopPropagation() cannot hide the event, and events that do not bubble (focus, invalid) still pass the window.
 */
export function listen(target: Target, type: string, listener: (event: any) => unknown, bubble?: boolean): Teardown {
  const options = { capture: !bubble, passive: true };
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
}

type Method = (this: any, ...args: any[]) => any;

/**
 * Replaces obj[key] with make(original). Teardown puts the original back; when the page has
 * since wrapped ours in turn, ours stays in its chain as a pass-through, so theirs keeps working.
 * A missing or read-only method is left alone.
 */
export function patch(obj: any, key: string, make: (original: Method) => Method): Teardown {
  let active = true;
  try {
    const original: Method = obj[key];
    if (typeof original != 'function') return () => {};
    const replaced = make(original);
    const patched: Method = function (...args) {
      return (active ? replaced : original).apply(this, args);
    };
    obj[key] = patched;
    return () => {
      active = false;
      if (obj[key] === patched) obj[key] = original;
    };
  } catch {
    return () => {};
  }
}

/** Runs every teardown, each on its own: one failing must not keep the others from running. */
export function teardownAll(teardowns: Teardown[]): Teardown {
  return () =>
    teardowns.forEach((teardown) => {
      try {
        teardown();
      } catch {
        // Already stopping.
      }
    });
}
