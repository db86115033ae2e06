// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../lib/contract';
import { FRICTION_LABELS } from '../lib/friction-labels';
import { timelineItems } from '../lib/timeline-items';
import { reactiveProps } from '../testing/reactive-props.svelte';
import ReplayProgress from './ReplayProgress.svelte';

const T0 = 1_700_000_000_000;
const ENTRIES: TimelineEntry[] = [
  { kind: 'friction', ts: T0 + 30_000, pageId: 'p1', type: 'rage_click', reason: '6 clicks.', selector: '#pay', url: 'https://shop.example/' },
  { kind: 'error', ts: T0 + 90_000, pageId: 'p1', message: 'TypeError: x', source: null, errorKind: 'error' },
];
const MARKERS = timelineItems(ENTRIES, T0);

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  document.body.innerHTML = '';
});

function render(currentMs: number, missingBeforeMs: number | null = null) {
  const seeks: number[] = [];
  const props = reactiveProps({ currentMs, missingBeforeMs });
  component = mount(ReplayProgress, {
    target: document.body,
    props: {
      get currentMs() {
        return props.currentMs;
      },
      durationMs: 120_000,
      markers: MARKERS,
      get missingBeforeMs() {
        return props.missingBeforeMs;
      },
      onseek: (ms: number) => seeks.push(ms),
    },
  });
  flushSync();
  return { seeks, props, slider: document.querySelector<HTMLElement>('[role="slider"]')! };
}

const key = (target: HTMLElement, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

describe('ReplayProgress', () => {
  it('is a labelled slider over the whole recording that follows the replay', () => {
    const { slider, props } = render(45_000);
    expect(slider.getAttribute('aria-label')).toBe('Replay position');
    expect(slider.tabIndex).toBe(0);
    expect([slider.getAttribute('aria-valuemin'), slider.getAttribute('aria-valuemax'), slider.getAttribute('aria-valuenow')]).toEqual(['0', '120', '45']);
    expect(slider.getAttribute('aria-valuetext')).toBe('0:45 of 2:00');
    expect(document.querySelector<HTMLElement>('.played')!.style.width).toBe('37.5%');
    props.currentMs = 60_000;
    flushSync();
    expect(slider.getAttribute('aria-valuetext')).toBe('1:00 of 2:00');
    expect(document.querySelector<HTMLElement>('.thumb')!.style.left).toBe('50%');
  });

  it('marks each friction flag and error at its moment, in its colour, named on hover', () => {
    render(0);
    const markers = [...document.querySelectorAll<HTMLElement>('.marker')];
    expect(markers.map((m) => [m.style.left, m.title, m.classList.contains('error')])).toEqual([
      ['25%', '0:30 Rage click', false],
      ['75%', '1:30 Error: TypeError: x', true],
    ]);
    expect(markers[0]!.style.getPropertyValue('--marker-color')).toBe(FRICTION_LABELS.rage_click.color);
    // Screen readers get these from the timeline list, not as unnamed shapes.
    expect(markers.every((m) => m.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  it('jumps to a marker pressed, and moves by 5 s, a minute, or to either end from the keyboard', () => {
    const { seeks, slider } = render(10_000);
    document.querySelectorAll<HTMLElement>('.marker')[1]!.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, button: 0 }));
    for (const k of ['ArrowRight', 'ArrowLeft', 'PageUp', 'Home', 'End', 'x']) key(slider, k);
    expect(seeks).toEqual([90_000, 15_000, 5_000, 70_000, 0, 120_000]);
    // Never before the start.
    unmount(component!);
    const early = render(2_000);
    key(early.slider, 'PageDown');
    expect(early.seeks).toEqual([0]);
  });

  it('shows the part still loading before the moment a replay started from', () => {
    const { props } = render(100_000, 96_000);
    expect(document.querySelector<HTMLElement>('.missing')!.style.width).toBe('80%');
    props.missingBeforeMs = null;
    flushSync();
    expect(document.querySelector('.missing')).toBeNull();
  });
});
