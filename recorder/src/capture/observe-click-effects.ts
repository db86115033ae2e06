// Effects of a press that leave no trace in the DOM (a picker, a popup, a download, a copy), and presses on disabled controls.
import { CUSTOM_EVENT_TAGS, type ClickEffectKind } from '../wire/custom-events';
import { patch, teardownAll, type Capture, type Teardown } from './listen';
import { stableSelector } from './stable-selector';
import { stripUrl } from './strip-url';

/** Inputs whose click or showPicker() opens a native picker: date, time, month, week, datetime-local. */
const DATE_INPUT = /date|time|month|week/;
/** Links a browser downloads rather than shows, judged by the path's extension. */
const DOWNLOAD_PATH = /\.(zip|rar|7z|t?gz|dmg|exe|msi|apk|pdf|csv|xlsx?|docx?|pptx?)$/i;

export function observeClickEffects({ win, emit, wrap, on }: Capture): Teardown {
  const effect = wrap((kind: ClickEffectKind, el?: any, url?: unknown) =>
    emit(CUSTOM_EVENT_TAGS.clickEffect, {
      effect: kind,
      selector: el && el.closest ? stableSelector(el) : undefined,
      url: url ? stripUrl(String(url), win.location.href) : undefined,
    }),
  );
  const picker = (el: any) =>
    el.localName == 'input' && (el.type == 'file' || DATE_INPUT.test(el.type)) && effect(el.type == 'file' ? 'file-chooser' : 'date-picker', el);

  return teardownAll([
    // Chromium fires no mouse events and no click on a disabled control, but does fire
    // pointerdown, at the control or its content; aria-disabled ones get clicks, but do nothing.
    // Inside a disabled fieldset or aria-disabled container counts too. A page may dispatch its
    // own events at document or window: those have no closest().
    on('pointerdown', ({ target, button }) => {
      const disabled = !button && target.closest && target.closest(':disabled,[aria-disabled=true]');
      if (disabled) effect('disabled-press', disabled);
    }),
    on('click', ({ target }) => {
      const link = target.closest && target.closest('a[href]');
      picker(target);
      if (link && (link.hasAttribute('download') || DOWNLOAD_PATH.test(stripUrl(link.href)))) effect('download', link, link.href);
    }),
    // Never the copied text: only that a copy happened, and where.
    on('copy', ({ target }) => effect('copy', target)),
    patch(win, 'open', (original) =>
      function (url) {
        effect('window-open', undefined, url);
        return original.apply(this, arguments as never);
      },
    ),
    // After the call: without a user gesture showPicker() throws, and nothing opened.
    patch((win.HTMLInputElement || {}).prototype, 'showPicker', (original) =>
      function (this: HTMLInputElement) {
        const result = original.apply(this, arguments as never);
        wrap(picker)(this);
        return result;
      },
    ),
  ]);
}
