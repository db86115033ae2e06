// The analyses the pass feeds, in one list: adding an analysis means adding a consumer here, never another decode.
import type { Repos } from '../repos/create-repos';
import type { BatchConsumer } from './batch-consumer';
import { createSignalsConsumer } from './signals-consumer';

export function createBatchConsumers(repos: Repos, now: () => number): BatchConsumer[] {
  return [createSignalsConsumer(repos.pageSignals, now) as BatchConsumer];
}
