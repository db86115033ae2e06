// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { shortcutFor, type ShortcutAction } from './player-shortcuts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** The action a real keydown on `target` asks for, as a window listener sees it. */
function press(key: string, target: Element = document.body, init: KeyboardEventInit = {}): ShortcutAction | null {
  let action: ShortcutAction | null = null;
  const listener = (event: KeyboardEvent) => (action = shortcutFor(event));
  window.addEventListener('keydown', listener);
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  window.removeEventListener('keydown', listener);
  return action;
}

function element(html: string): Element {
  document.body.innerHTML = html;
  return document.body.querySelector('[data-target]')!;
}

describe('shortcutFor', () => {
  it('maps the player keys on the page', () => {
    expect([' ', 'k', 'K', 'ArrowLeft', 'ArrowRight', 'n', 'p', '?'].map((key) => press(key))).toEqual([
      'toggle-play',
      'toggle-play',
      'toggle-play',
      'back',
      'forward',
      'next-friction',
      'previous-friction',
      'help',
    ]);
    expect(press('x')).toBeNull();
  });

  it('leaves browser shortcuts alone', () => {
    expect(press('k', document.body, { ctrlKey: true })).toBeNull();
    expect(press('ArrowLeft', document.body, { altKey: true })).toBeNull();
    expect(press('n', document.body, { metaKey: true })).toBeNull();
  });

  it('does nothing while someone types in a field, a text area, a select or an editable element', () => {
    for (const html of [
      '<input data-target>',
      '<input type="search" data-target>',
      '<textarea data-target></textarea>',
      '<select data-target><option>1</option></select>',
      '<div contenteditable="true"><span data-target>x</span></div>',
    ]) {
      const target = element(html);
      expect(['k', ' ', 'n', 'ArrowLeft', '?'].map((key) => press(key, target)), html).toEqual([null, null, null, null, null]);
    }
  });

  it("lets Space press a focused button or checkbox, and the arrows move a focused slider, but not each other's keys", () => {
    const button = element('<button data-target>Copy link</button>');
    expect([press(' ', button), press('k', button), press('ArrowRight', button)]).toEqual([null, 'toggle-play', 'forward']);
    const checkbox = element('<input type="checkbox" data-target>');
    expect([press(' ', checkbox), press('n', checkbox)]).toEqual([null, 'next-friction']);
    const slider = element('<div role="slider" tabindex="0" data-target></div>');
    expect([press('ArrowLeft', slider), press(' ', slider), press('p', slider)]).toEqual([null, 'toggle-play', 'previous-friction']);
  });

  it('does nothing for a key a control already handled', () => {
    const target = element('<div data-target></div>');
    target.addEventListener('keydown', (event) => event.preventDefault());
    expect(press('k', target)).toBeNull();
  });
});
