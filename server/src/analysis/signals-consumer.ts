// The consumer that keeps each batch's page signals for the detectors, and notes a page's final batch.
import type { MaybeAsync } from '../repos/maybe-async';
import type { PageSignalsRepo } from '../repos/page-signals-repo';
import type { BatchConsumer } from './batch-consumer';
import { extractSignals } from './extract-signals';
import type { PageSignal } from './page-signals';

export function createSignalsConsumer(pageSignals: MaybeAsync<PageSignalsRepo>, now: () => number): BatchConsumer<{ signals: PageSignal[]; final: boolean }> {
  return {
    name: 'signals',
    read: (batch) => ({ signals: extractSignals(batch.events, batch.final), final: batch.final }),
    async write({ sessionId, seq, pageId }, { signals, final }) {
      await pageSignals.put({ sessionId, seq, pageId, signals, analyzedAt: now() });
      if (final) await pageSignals.markFinal(sessionId, pageId, seq);
    },
    pageSignals: ({ signals }) => signals,
  };
}
