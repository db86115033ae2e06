// Places a heatmap's cells on the rebuilt document: each selector resolved once, each cell put on its element or at its page position.
import type { HeatmapData } from './contract';
import type { WeightedPoint } from './heat-points';
import { documentBox, placeClick, type Box } from './place-click';

export interface PlacedCells {
  points: WeightedPoint[];
  /** Clicks drawn on their element, and clicks drawn at their page position because the element is not on this snapshot. */
  anchored: number;
  fallback: number;
}

/** The element's box in the document, or null when the selector finds nothing (or is not valid CSS). */
export function findBox(doc: Document, selector: string, fixed: boolean): Box | null {
  let element: Element | null = null;
  try {
    element = selector ? doc.querySelector(selector) : null;
  } catch {
    return null;
  }
  if (!element) return null;
  const view = doc.defaultView;
  return documentBox(element.getBoundingClientRect(), view?.scrollX ?? 0, view?.scrollY ?? 0, fixed);
}

export function placeCells(data: Pick<HeatmapData, 'cells' | 'selectors'>, doc: Document, pageWidth: number): PlacedCells {
  const boxes = new Map<string, Box | null>();
  const placed: PlacedCells = { points: [], anchored: 0, fallback: 0 };
  for (const cell of data.cells) {
    const selector = data.selectors[cell.s] ?? '';
    const key = `${cell.fixed ? 'f' : 'n'}${selector}`;
    let box = boxes.get(key);
    if (box === undefined) boxes.set(key, (box = findBox(doc, selector, cell.fixed)));
    const point = placeClick(cell, box, pageWidth);
    placed.points.push({ x: point.x, y: point.y, n: cell.n });
    if (point.anchored) placed.anchored += cell.n;
    else placed.fallback += cell.n;
  }
  return placed;
}
