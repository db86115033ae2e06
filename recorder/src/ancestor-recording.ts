// Tells whether a frame above this one already records, so a framed page does not record itself twice.
import { RECORDER_SCRIPT_SELECTOR } from './recorder-config';

/** The bits of a window we walk; `frictionlens` is the public API a recording page exposes. */
export interface FrameLike {
  readonly parent: FrameLike;
  readonly top: FrameLike | null;
  readonly frictionlens?: unknown;
  readonly document: Pick<Document, 'querySelector'>;
}

/**
 * The top page's rrweb already records same-origin iframes, so a recorder inside one would
 * duplicate them. Ancestors count as recording when their API is installed or, because our tag
 * is async and the frame's copy may run first, when they merely carry the tag. Cross-origin
 * ancestors cannot be inspected and are taken as not recording.
 */
export function isAncestorRecording(win: FrameLike): boolean {
  let frame = win;
  while (frame !== frame.top && frame.parent !== frame) {
    frame = frame.parent;
    try {
      if (frame.frictionlens || frame.document.querySelector(RECORDER_SCRIPT_SELECTOR)) return true;
    } catch {
      // Cross-origin: keep walking; a same-origin frame further up may still be recording.
    }
  }
  return false;
}
