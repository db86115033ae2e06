import { describe, expect, it } from 'vitest';
import { isAncestorRecording, type FrameLike } from './ancestor-recording';

interface FakeFrame { parent: FakeFrame; top: FakeFrame | null; frictionlens?: unknown; document: FrameLike['document'] }

function frame(options: { api?: boolean; tag?: boolean; crossOrigin?: boolean } = {}): FakeFrame {
  const doc = { querySelector: () => (options.tag ? ({} as Element) : null) };
  const self = { top: null, frictionlens: options.api ? {} : undefined } as unknown as FakeFrame;
  Object.defineProperty(self, 'document', {
    get: () => {
      if (options.crossOrigin) throw new DOMException('Blocked a frame', 'SecurityError');
      return doc;
    },
  });
  self.parent = self;
  return self;
}

/** Chains frames top-first and returns the innermost one. */
function nest(...frames: FakeFrame[]): FakeFrame {
  const top = frames[0]!;
  frames.forEach((f, i) => {
    f.top = top;
    f.parent = i === 0 ? f : frames[i - 1]!;
  });
  return frames[frames.length - 1]!;
}

describe('isAncestorRecording', () => {
  it('is false for the top page itself', () => {
    expect(isAncestorRecording(nest(frame({ api: true })))).toBe(false);
  });

  it('is true inside an iframe whose top runs the recorder', () => {
    expect(isAncestorRecording(nest(frame({ api: true }), frame()))).toBe(true);
  });

  it('is true when the top carries the tag but its async copy has not run yet', () => {
    expect(isAncestorRecording(nest(frame({ tag: true }), frame()))).toBe(true);
  });

  it('is false under a top without the recorder', () => {
    expect(isAncestorRecording(nest(frame(), frame(), frame()))).toBe(false);
  });

  it('skips a cross-origin parent and still finds a recording top', () => {
    expect(isAncestorRecording(nest(frame({ api: true }), frame({ crossOrigin: true }), frame()))).toBe(true);
    expect(isAncestorRecording(nest(frame({ crossOrigin: true }), frame()))).toBe(false);
  });
});
