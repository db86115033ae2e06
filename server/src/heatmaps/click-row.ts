// Turns an extracted click into its stored row: day, device class, fraction bins and the fallback point.
import type { HeatmapDevice } from '../api-types';
import { deviceClass } from './device-class';
import type { ExtractedClick } from './extract-clicks';
import { DAY_MS, FALLBACK_X_SCALE, HEATMAP_FRACTION_BINS } from './heatmap-constants';

export interface ClickRow {
  ts: number;
  day: number;
  viewportWidth: number;
  device: HeatmapDevice;
  selector: string;
  offsetX: number;
  offsetY: number;
  binX: number;
  binY: number;
  x: number;
  y: number;
  fallbackX: number;
  fallbackY: number;
  documentWidth: number;
  documentHeight: number;
  fixed: boolean;
  label: string | null;
  pageUrl: string;
}

export const fractionBin = (fraction: number): number => Math.min(HEATMAP_FRACTION_BINS - 1, Math.max(0, Math.floor(fraction * HEATMAP_FRACTION_BINS)));
/** The centre of a bin as a fraction, to three decimals. */
export const binCentre = (bin: number): number => Math.round(((bin + 0.5) / HEATMAP_FRACTION_BINS) * 1000) / 1000;
export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS);

/**
 * The fallback point is where the click is drawn when its element is not on the snapshot: x as a
 * share of the viewport's width (scaled to the snapshot's width when drawn), y in page px; for a
 * fixed or sticky target, y in the viewport (where the target stays on screen) when rrweb's record
 * of the click gave it, since its page y only says how far the visitor had scrolled.
 */
export function clickRow(click: ExtractedClick): ClickRow {
  const { ts, viewportWidth, selector, offsetX, offsetY, x, y, screenY, documentWidth, documentHeight, fixed, label, pageUrl } = click;
  return {
    ts,
    day: dayOf(ts),
    viewportWidth,
    device: deviceClass(viewportWidth),
    selector,
    offsetX,
    offsetY,
    binX: fractionBin(offsetX),
    binY: fractionBin(offsetY),
    x,
    y,
    fallbackX: Math.round((Math.min(Math.max(x, 0), viewportWidth) / viewportWidth) * FALLBACK_X_SCALE),
    fallbackY: fixed && screenY !== null ? Math.max(0, screenY) : Math.max(0, y),
    documentWidth,
    documentHeight,
    fixed,
    label,
    pageUrl,
  };
}
