// Clicks with what a heatmap needs to place them on the same page at any width.
import { CUSTOM_EVENT_TAGS } from '../wire/custom-events';
import { clickPayload } from './click-payload';
import type { Capture, Teardown } from './listen';

/**
 * Only pointer clicks: keyboard activation, label forwarding and element.click() have detail 0
 * and no meaningful position.
 */
export function observeClicks({ win, emit, on, hiddenText }: Capture): Teardown {
  return on('click', (event: MouseEvent) => {
    const target = event.target as any;
    if (event.detail && target.getBoundingClientRect) emit(CUSTOM_EVENT_TAGS.click, clickPayload(event, target, win, hiddenText));
  });
}
