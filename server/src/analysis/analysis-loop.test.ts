import { describe, expect, it } from 'vitest';
import type { AnalysisPass, PassResult } from './analysis-pass';
import { startAnalysisLoop, type BackgroundWork } from './analysis-loop';

const idle: PassResult = { batches: 0, skipped: 0, pages: 0, lagsMs: [] };

describe('startAnalysisLoop', () => {
  it('runs one slice of background work after each pass, and keeps going without polling while a slice did work', async () => {
    const order: string[] = [];
    let queued = 2;
    const pass: AnalysisPass = {
      run: async () => (order.push('pass'), queued > 0 ? { ...idle, batches: queued-- } : idle),
      completeIdlePages: async () => 0,
    };
    let slices = 3;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const work: BackgroundWork = {
      name: 'test-job',
      async runSlice() {
        order.push('slice');
        if (slices === 0) finished();
        return slices-- > 0;
      },
    };
    // A poll interval far longer than the test: only "busy" ticks can get it to the fourth slice.
    const loop = startAnalysisLoop(pass, { pollMs: 60_000, background: [work] });
    await done;
    await loop.stop();
    expect(order).toEqual(['pass', 'slice', 'pass', 'slice', 'pass', 'slice', 'pass', 'slice']);
  });
});
