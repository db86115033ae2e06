// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ShortcutHelp from './ShortcutHelp.svelte';

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  document.body.innerHTML = '';
});

function open() {
  document.body.innerHTML = '<button id="opener">?</button><div id="host"></div>';
  document.querySelector<HTMLButtonElement>('#opener')!.focus();
  let closed = 0;
  component = mount(ShortcutHelp, { target: document.querySelector('#host')!, props: { onclose: () => closed++ } });
  flushSync();
  return { closed: () => closed, dialog: document.querySelector<HTMLElement>('[role="dialog"]')! };
}

const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

describe('ShortcutHelp', () => {
  it('is a labelled modal dialog listing every shortcut, with focus moved into it', () => {
    const { dialog } = open();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Keyboard shortcuts');
    const rows = [...dialog.querySelectorAll('dl > div')].map((row) => row.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows).toEqual([
      'Space or K Play or pause',
      '← Back 5 seconds',
      '→ Forward 5 seconds',
      'N Next friction',
      'P Previous friction',
      '? Show these shortcuts',
      'Esc Close this list',
    ]);
    expect(document.activeElement?.textContent).toBe('Close');
  });

  it('closes on Escape, on ? and on Close, and keeps Tab inside', () => {
    const { dialog, closed } = open();
    key(document.activeElement!, 'Tab');
    expect(document.activeElement?.textContent).toBe('Close');
    key(dialog, 'Escape');
    key(dialog, '?');
    dialog.querySelector('button')!.click();
    expect(closed()).toBe(3);
  });

  it('gives focus back to where it was once it is gone', () => {
    open();
    unmount(component!);
    component = undefined;
    expect(document.activeElement?.id).toBe('opener');
  });
});
