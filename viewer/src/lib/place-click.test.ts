import { describe, expect, it } from 'vitest';
import { documentBox, placeClick } from './place-click';

describe('placeClick', () => {
  it('puts the point at its fractions of the element\'s box', () => {
    // Box 200 × 40 at (100, 300); fractions 0.25 and 0.75: x = 100 + 50 = 150, y = 300 + 30 = 330.
    expect(placeClick({ fx: 0.25, fy: 0.75, x: 0.9, y: 5000 }, { left: 100, top: 300, width: 200, height: 40 }, 1280)).toEqual({ x: 150, y: 330, anchored: true });
  });

  it('follows the element when the layout moves it at another width', () => {
    // The same button and fractions on a 390 px layout: box 358 × 48 at (16, 1210): x = 16 + 179 = 195, y = 1210 + 24 = 1234.
    expect(placeClick({ fx: 0.5, fy: 0.5, x: 0.8, y: 410 }, { left: 16, top: 1210, width: 358, height: 48 }, 390)).toEqual({ x: 195, y: 1234, anchored: true });
  });

  it('falls back to the page position scaled to the width when the element is absent or has no size', () => {
    // Recorded at 0.4 of the viewport's width; drawn on a 1440 px page: x = 576, y as recorded.
    expect(placeClick({ fx: 0.5, fy: 0.5, x: 0.4, y: 820 }, null, 1440)).toEqual({ x: 576, y: 820, anchored: false });
    expect(placeClick({ fx: 0.5, fy: 0.5, x: 0.4, y: 820 }, { left: 0, top: 0, width: 0, height: 0 }, 1000)).toEqual({ x: 400, y: 820, anchored: false });
  });
});

describe('documentBox', () => {
  it('adds the frame\'s scroll to an element in the flow, not to a fixed or sticky one', () => {
    const rect = { left: 10, top: 20, width: 30, height: 40 };
    expect(documentBox(rect, 0, 500, false)).toEqual({ left: 10, top: 520, width: 30, height: 40 });
    // A sticky header clicked after scrolling 2000 px is drawn where it stays on screen, at its rect.
    expect(placeClick({ fx: 0.5, fy: 0.5, x: 0.5, y: 2030 }, documentBox({ left: 0, top: 0, width: 1280, height: 60 }, 0, 2000, true), 1280)).toEqual({ x: 640, y: 30, anchored: true });
  });
});
