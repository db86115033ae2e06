// Error wrapper for everything that runs on the host page: a recorder fault stops recording, never the page.

export interface Guard {
  /** Wraps a callback (rrweb emit, listener, timer) so it never throws and does nothing after a fault. */
  wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined;
  /** Runs fn now under the guard. */
  run<R>(fn: () => R): R | undefined;
  /** Reports a fault caught elsewhere (rrweb's errorHandler, a rejected promise). */
  fail(error: unknown): void;
  readonly faulted: boolean;
}

/**
 * onFault runs once, for the first fault; it is itself guarded, because a throwing teardown
 * must not escape into the page either. State lives in the closure, so two recorders (tests)
 * never share it.
 */
export function createGuard(onFault: (error: unknown) => void): Guard {
  let faulted = false;

  function fail(error: unknown): void {
    if (faulted) return;
    faulted = true;
    try {
      onFault(error);
    } catch {
      // Nothing left to do: recording is already marked as stopped.
    }
  }

  function run<R>(fn: () => R): R | undefined {
    if (faulted) return undefined;
    try {
      return fn();
    } catch (error) {
      fail(error);
      return undefined;
    }
  }

  return {
    wrap: (fn) =>
      function guarded(this: unknown, ...args) {
        return run(() => fn.apply(this, args));
      },
    run,
    fail,
    get faulted() {
      return faulted;
    },
  };
}
