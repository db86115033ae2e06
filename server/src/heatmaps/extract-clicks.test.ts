import type { eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { CUSTOM_EVENT_TAGS } from '../../../recorder/src/wire/format';
import { clickRow, fractionBin } from './click-row';
import { deviceClass } from './device-class';
import { extractClicks } from './extract-clicks';

const click = (timestamp: number, payload: Record<string, unknown>) =>
  ({ type: 5, timestamp, data: { tag: CUSTOM_EVENT_TAGS.click, payload } }) as eventWithTime;
const rrwebClick = (timestamp: number, y: number) => ({ type: 3, timestamp, data: { source: 2, type: 2, id: 9, x: 10, y } }) as eventWithTime;
const payload = { x: 700, y: 2300, viewportWidth: 1280, viewportHeight: 800, documentWidth: 1280, documentHeight: 4000, selector: '#buy', offsetX: 0.25, offsetY: 1.4, fixed: true, target: { kind: 'button', text: 'Buy' } };

describe('extractClicks', () => {
  it('reads each frictionlens.click with its viewport y from rrweb\'s record of the same click', () => {
    const [row] = extractClicks([rrwebClick(1000, 60), click(1003, payload), rrwebClick(5000, 90)], 'https://shop.example/a');
    expect(row).toEqual({ ts: 1003, viewportWidth: 1280, selector: '#buy', offsetX: 0.25, offsetY: 1, x: 700, y: 2300, screenY: 60, documentWidth: 1280, documentHeight: 4000, fixed: true, label: 'button "Buy"', pageUrl: 'https://shop.example/a' });
  });

  it('gives each click the URL of the batch\'s last page view before it', () => {
    const view = { type: 5, timestamp: 2000, data: { tag: CUSTOM_EVENT_TAGS.pageView, payload: { url: 'https://shop.example/b', title: '', referrer: '' } } } as eventWithTime;
    expect(extractClicks([click(1000, payload), view, click(3000, payload)], 'https://shop.example/a').map((c) => c.pageUrl)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
  });

  it('passes over clicks it cannot place and leaves the viewport y unknown without a record within 100 ms', () => {
    const rows = extractClicks([click(1, { ...payload, viewportWidth: 0 }), click(2, { selector: '#x' }), rrwebClick(1200, 5), click(1000, { ...payload, target: undefined })]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ screenY: null, label: null });
  });
});

describe('clickRow', () => {
  it('bins fractions in twentieths, keeps x as a share of the width and, for a fixed target, y on screen', () => {
    // 700 / 1280 = 0.546875 → 5469 ten-thousandths; offset 0.25 → bin 5; offset 1 → the last bin, 19.
    const row = clickRow({ ts: 86_400_000 * 3 + 5, viewportWidth: 1280, selector: '#buy', offsetX: 0.25, offsetY: 1, x: 700, y: 2300, screenY: 60, documentWidth: 1280, documentHeight: 4000, fixed: true, label: null, pageUrl: 'https://shop.example/' });
    expect(row).toMatchObject({ day: 3, device: 'desktop', binX: 5, binY: 19, fallbackX: 5469, fallbackY: 60 });
    expect(clickRow({ ...row, screenY: 60, fixed: false }).fallbackY).toBe(2300);
    expect(fractionBin(0.049)).toBe(0);
    expect(fractionBin(0.05)).toBe(1);
  });

  it('classes 767 px as mobile, 768 and 1023 px as tablet, 1024 px as desktop', () => {
    expect([390, 767, 768, 1023, 1024].map(deviceClass)).toEqual(['mobile', 'mobile', 'tablet', 'tablet', 'desktop']);
  });
});
