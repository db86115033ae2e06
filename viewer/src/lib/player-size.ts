// How big the replay frame should be for the space available and the recorded window's shape.
import type { Viewport } from './replay-timeline';

/** Used when a recording has no Meta event: a typical laptop window. */
const FALLBACK_ASPECT = 10 / 16;
/** Keeps the controls on screen on a laptop; taller recordings (phones) are scaled down to fit. */
export const MAX_PLAYER_HEIGHT_PX = 620;
export const MIN_PLAYER_HEIGHT_PX = 240;

/** `maxHeight`: the room below a full-screen player's controls, instead of the page's cap. */
export function playerFrameSize(availableWidth: number, viewport: Viewport | null, maxHeight = MAX_PLAYER_HEIGHT_PX): { width: number; height: number } {
  const width = Math.max(0, Math.floor(availableWidth));
  const aspect = viewport ? viewport.height / viewport.width : FALLBACK_ASPECT;
  const height = Math.round(Math.min(Math.max(MIN_PLAYER_HEIGHT_PX, maxHeight), Math.max(MIN_PLAYER_HEIGHT_PX, width * aspect)));
  return { width, height };
}
