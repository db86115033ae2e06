import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionDeletionRepo } from '../repos/session-deletion-repo';
import { addPurchaseGoal, recordDerivedVisit, rowsOf, SESSION_TABLES } from '../testing/derived-rows';
import { createTestApp, type TestApp } from '../testing/test-app';
import type { BatchConsumer } from './batch-consumer';
import { createBatchConsumers } from './batch-consumers';
import { createAnalysisPass } from './analysis-pass';
import { sqliteTransactions } from './analysis-transactions';
import { DETECTORS } from '../detectors/detect-friction';
import type { Detector } from '../detectors/detected-friction';

// The server deletes sessions (DELETE /api/sessions/:id, a user's erasure) while the analysis process,
// with its own connection, is between reading a batch and writing what it found.
const T0 = 1_700_000_000_000;
let t: TestApp;
beforeEach(async () => {
  t = createTestApp();
  addPurchaseGoal(t);
  await recordDerivedVisit(t, 'session-deleted', T0);
  await recordDerivedVisit(t, 'session-kept', T0 + 60_000);
});
afterEach(() => t.close());

const noRows = Object.fromEntries(SESSION_TABLES.map((table) => [table, 0]));

describe('a session deleted while the analysis pass has it in hand', () => {
  it('is skipped when it goes between reading its batches and writing their results; the other sessions are analysed in the same pass', async () => {
    const deletion = createSessionDeletionRepo(t.db);
    let deleted = false;
    // Runs last among the readers, after the real consumers read the batch.
    const deleter: BatchConsumer<null> = {
      name: 'deleter',
      read: (batch) => {
        if (batch.sessionId === 'session-deleted' && !deleted) deleted = deletion.deleteSessions(['session-deleted']) === 1;
        return null;
      },
      write: async () => {},
    };
    const logged: string[] = [];
    const pass = createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: 60_000, consumers: [...createBatchConsumers(t.repos, Date.now), deleter], log: (message) => logged.push(message) });
    expect(await pass.run()).toMatchObject({ batches: 6 });
    expect(deleted).toBe(true);
    expect(rowsOf(t, 'session-deleted')).toEqual(noRows);
    expect(rowsOf(t, 'session-kept').friction).toBeGreaterThan(0);
    expect(rowsOf(t, 'session-kept').analysis_queue).toBe(0);
    expect(logged).toEqual([]);
  });

  it('is skipped when it goes between judging its pages and storing the judgements', async () => {
    const deletion = createSessionDeletionRepo(t.db);
    let deleted = false;
    // Detectors run while the pass judges, after it read the page's state and before it stores the flags.
    const deleter: Detector = () => {
      if (!deleted) deleted = deletion.deleteSessions(['session-deleted']) === 1;
      return [];
    };
    const logged: string[] = [];
    const pass = createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: 60_000, detectors: [{ type: 'dead_click', detect: deleter }, ...DETECTORS], log: (message) => logged.push(message) });
    expect(await pass.run()).toMatchObject({ batches: 6 });
    expect(deleted).toBe(true);
    expect(rowsOf(t, 'session-deleted')).toEqual(noRows);
    expect(rowsOf(t, 'session-kept').friction).toBeGreaterThan(0);
    expect(rowsOf(t, 'session-kept').goal_completions).toBe(1);
    expect(rowsOf(t, 'session-kept').analysis_queue).toBe(0);
    expect(logged).toEqual([]);
  });
});
