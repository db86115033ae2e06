// Where a heatmap cell's clicks are drawn on the rebuilt page: on the element they hit, else at their page position scaled to the width; pure.
import type { HeatmapCell } from './contract';

/** A box in the rebuilt document's coordinates (CSS px from its top-left corner). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PlacedPoint {
  x: number;
  y: number;
  /** Placed on its element; false when it fell back to the page position. */
  anchored: boolean;
}

/**
 * The element's box in document coordinates from its viewport rect and the frame's scroll. A fixed
 * or sticky element stays where it is on screen whatever the scroll, so the scroll is not added.
 */
export function documentBox(rect: Box, scrollX: number, scrollY: number, fixed: boolean): Box {
  return fixed ? { ...rect } : { left: rect.left + scrollX, top: rect.top + scrollY, width: rect.width, height: rect.height };
}

/**
 * On the element: its box at the cell's fractions, which holds at any width the layout moves the
 * element to. Without it (not in this snapshot, or not rendered): x as the recorded share of the
 * viewport's width times this page's width, y as recorded (for a fixed target, where it was on screen).
 */
export function placeClick(cell: Pick<HeatmapCell, 'fx' | 'fy' | 'x' | 'y'>, box: Box | null, pageWidth: number): PlacedPoint {
  if (box && box.width > 0 && box.height > 0) {
    return { x: box.left + cell.fx * box.width, y: box.top + cell.fy * box.height, anchored: true };
  }
  return { x: cell.x * pageWidth, y: cell.y, anchored: false };
}
