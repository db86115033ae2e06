// Form lifecycle: each field's focus, blur, change and invalid, and each form's submit and reset.
import { CUSTOM_EVENT_TAGS, type FormFieldPayload, type FormPayload } from '../wire/custom-events';
import { formFieldPayload, formPayload, isField } from './form-field-payload';
import { teardownAll, type Capture, type Teardown } from './listen';

/** Field events by the DOM event observed: focusin/focusout bubble, so their dispatch ends at the window. */
const FIELD_EVENTS: Record<string, FormFieldPayload['action']> = { focusin: 'focus', focusout: 'blur', change: 'change', invalid: 'invalid' };
const FORM_EVENTS: Record<string, FormPayload['action']> = { submit: 'submit', reset: 'reset' };

/**
 * Each event is read once the page's own handlers for it have run: a site validating on blur or
 * submit (setCustomValidity, an error element, aria-invalid) has by then set what the visitor sees.
 * The capture phase queues the read; it runs when the event's dispatch reaches the window's bubble
 * phase, else (`invalid` does not bubble, or a handler stopped it) on a zero timeout, and on pagehide
 * before the recorder's last flush. Reads run in the order their events started, each waiting
 * while its event is still being dispatched: a submit handler that focuses a field has not
 * finished with the form, and the focus comes after the submit.
 */
export function observeForms({ win, emit, wrap, on }: Capture): Teardown {
  let queue: Array<[Event, () => void]> = [];
  const drain = (current?: Event) => {
    for (let next; (next = queue[0]) && !(current && next[0] != current && next[0].eventPhase); ) queue.shift()![1]();
  };
  const observe = <A extends string>(types: Record<string, A>, read: (target: any, action: A) => false | (() => void)) =>
    Object.keys(types).flatMap((type) => [
      on(type, (event: Event) => {
        const run = read(event.target, types[type]!);
        if (run && queue.push([event, run]) == 1) win.setTimeout(wrap(drain));
      }),
      on(type, drain, true),
    ]);

  return teardownAll([
    ...observe(FIELD_EVENTS, (target, action) => isField(target) && (() => emit(CUSTOM_EVENT_TAGS.formField, formFieldPayload(target, action)))),
    ...observe(FORM_EVENTS, (target, action) => target.localName == 'form' && (() => emit(CUSTOM_EVENT_TAGS.form, formPayload(target, action)))),
    on('pagehide', () => drain()),
    () => (queue = []),
  ]);
}
