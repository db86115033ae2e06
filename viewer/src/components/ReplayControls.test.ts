// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlayerControl, type SeekablePlayer } from '../state/player-control.svelte';
import ReplayControls from './ReplayControls.svelte';

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

function render() {
  const calls: string[] = [];
  const handlers = new Map<string, (params: unknown) => unknown>();
  const player: SeekablePlayer = {
    goto: (ms) => void calls.push(`goto ${ms}`),
    play: () => void calls.push('play'),
    pause: () => void calls.push('pause'),
    setSpeed: (speed) => void calls.push(`speed ${speed}`),
    toggleSkipInactive: () => void calls.push('toggle skip'),
    addEventListener: (event, handler) => void handlers.set(event, handler),
  };
  const control = new PlayerControl();
  control.attach(player);
  // Attaching draws the start (PlayerControl's own test covers it); these tests follow the controls.
  calls.length = 0;
  const toggles: string[] = [];
  component = mount(ReplayControls, {
    target: document.body,
    props: {
      control,
      durationMs: 125_000,
      link: 'http://fl.test/#/sessions/s1?t=61000',
      fullscreen: false,
      ontogglefullscreen: () => toggles.push('fullscreen'),
      onhelp: () => toggles.push('help'),
    },
  });
  flushSync();
  const emit = (event: string, payload?: unknown) => {
    handlers.get(event)?.({ payload });
    flushSync();
  };
  return { calls, toggles, emit };
}

const button = (name: string) =>
  [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent!.replace(/\s+/g, ' ').trim()) === name)!;
const labelled = (label: string) => [...document.querySelectorAll('label')].find((l) => l.textContent!.trim().startsWith(label))!.querySelector('input, select') as HTMLInputElement & HTMLSelectElement;

describe('ReplayControls', () => {
  it('plays and pauses, with the button named for what it does, and shows the time and any skipping', () => {
    const { calls, emit } = render();
    button('Play').click();
    emit('ui-update-player-state', 'playing');
    emit('ui-update-current-time', 61_000);
    expect(document.querySelector('.time')!.textContent!.trim()).toBe('1:01 / 2:05');
    emit('skip-start');
    expect(document.querySelector('.time')!.textContent).toContain('Skipping inactivity…');
    button('Pause').click();
    expect(calls).toEqual(['play', 'pause']);
  });

  it('sets the speed and inactivity skipping through labelled controls', () => {
    const { calls } = render();
    const speed = labelled('Speed');
    expect([...speed.options].map((o) => o.textContent)).toEqual(['0.5×', '1×', '2×', '4×', '8×']);
    expect(speed.value).toBe('1');
    speed.value = '4';
    speed.dispatchEvent(new Event('change', { bubbles: true }));
    const skip = labelled('Skip inactivity');
    expect(skip.checked).toBe(true);
    skip.checked = false;
    skip.dispatchEvent(new Event('change', { bubbles: true }));
    expect(calls).toEqual(['speed 4', 'toggle skip']);
  });

  it('copies a link to this moment, or shows it to copy by hand where the clipboard is refused', async () => {
    const writes: string[] = [];
    vi.stubGlobal('navigator', { clipboard: { writeText: async (text: string) => void writes.push(text) } });
    const { toggles } = render();
    button('Copy link to this moment').click();
    await vi.waitFor(() => expect(button('Link copied ✓')).toBeDefined());
    expect(writes).toEqual(['http://fl.test/#/sessions/s1?t=61000']);

    vi.stubGlobal('navigator', { clipboard: { writeText: async () => Promise.reject(new Error('denied')) } });
    button('Link copied ✓').click();
    await vi.waitFor(() => expect(labelled('Copy this link')).toBeDefined());
    expect(labelled('Copy this link').value).toBe('http://fl.test/#/sessions/s1?t=61000');

    button('Full screen').click();
    button('Keyboard shortcuts').click();
    expect(toggles).toEqual(['fullscreen', 'help']);
  });
});
