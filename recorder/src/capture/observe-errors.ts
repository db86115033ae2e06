// Uncaught script errors and unhandled promise rejections on the page, with a truncated stack; emails and card numbers scrubbed.
import { scrubPersonalData } from '../privacy/scrub-personal-data';
import { CUSTOM_EVENT_TAGS } from '../wire/custom-events';
import { clipMessage } from './clip-text';
import { teardownAll, type Capture, type Teardown } from './listen';
import { renderConsoleArgs } from './render-console-args';
import { stripStack, stripUrl } from './strip-url';

export const ERROR_MESSAGE_MAX_CHARS = 500;
export const STACK_MAX_CHARS = 2000;

export function observeErrors({ win, emit, on }: Capture): Teardown {
  // A stack's first line repeats the message.
  const stack = (error: any) =>
    error && typeof error.stack == 'string' ? scrubPersonalData(stripStack(error.stack, STACK_MAX_CHARS)) : undefined;
  return teardownAll([
    // In the capture phase failed <img>/<script> loads pass the window too; script errors target it.
    on('error', (event: ErrorEvent) =>
      event.target == win &&
      emit(CUSTOM_EVENT_TAGS.error, {
        kind: 'error',
        message: clipMessage(event.message, ERROR_MESSAGE_MAX_CHARS),
        source: event.filename ? stripUrl(event.filename) : undefined,
        line: event.lineno,
        column: event.colno,
        stack: stack(event.error),
      }),
    ),
    on('unhandledrejection', ({ reason }: PromiseRejectionEvent) =>
      emit(CUSTOM_EVENT_TAGS.error, { kind: 'unhandled-rejection', message: renderConsoleArgs([reason], ERROR_MESSAGE_MAX_CHARS), stack: stack(reason) }),
    ),
  ]);
}
