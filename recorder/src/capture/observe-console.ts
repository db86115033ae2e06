// console.error and console.warn calls, rendered as one short line each.
import { CUSTOM_EVENT_TAGS } from '../wire/custom-events';
import { patch, teardownAll, type Capture, type Teardown } from './listen';
import { renderConsoleArgs } from './render-console-args';

/** The recorder's own warnings start with this; they are not the site's. */
export const OWN_CONSOLE_PREFIX = '[frictionlens]';

export function observeConsole({ win, emit, wrap }: Capture): Teardown {
  // Rendering may call the page's getters, which may log: never capture from inside a capture.
  let busy = false;
  const report = wrap((level: 'error' | 'warn', args: unknown[]) => {
    if (busy || (typeof args[0] == 'string' && args[0].startsWith(OWN_CONSOLE_PREFIX))) return;
    busy = true;
    try {
      emit(CUSTOM_EVENT_TAGS.console, { level, message: renderConsoleArgs(args) });
    } finally {
      busy = false;
    }
  });
  return teardownAll(
    (['error', 'warn'] as const).map((level) =>
      patch(win.console, level, (original) =>
        function (...args) {
          report(level, args);
          return original.apply(this, args);
        },
      ),
    ),
  );
}
