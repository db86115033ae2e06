// Test support: 70 visits to a shop's checkout with known conversions and form abandonment, recorded through the real ingest path and analysed by the real pass.
import { sqliteTransactions } from '../../analysis/analysis-transactions';
import { createAnalysisPass } from '../../analysis/analysis-pass';
import type { BackendTestApp } from '../../testing/backend-test-app';
import type { TestApp } from '../../testing/test-app';
import { fill, MOBILE_UA, recordVisit, submitCheckout, track, type PageLoad } from './recorded-visits';

export const T0 = 1_700_000_000_000;
/** Sessions start this far apart, in the order of SCENARIO below. */
export const SESSION_GAP_MS = 600_000;

const cart = (extra: Partial<PageLoad> = {}): PageLoad => ({ path: '/cart.html', at: 0, ...extra });
const fillAll = [fill('#email', 11), fill('#full-name', 12), fill('#postcode', 13)];
const thanks = (at: number): PageLoad => ({ path: '/thanks.html?order=1', at, actions: [track('purchase')] });

/**
 * By hand:
 * - abandoned (24, mobile): cart, checkout filled up to the postcode, left. Form abandonment at #postcode, no conversion.
 * - abandonedThenBought (6, mobile): the same, then checkout again, submitted, thanks. Affected and converted.
 * - bought (20, desktop, from google.com with utm_source=google): cart, checkout filled and submitted, thanks.
 * - left (20, mobile): cart, checkout without touching the form, left.
 * Everyone reaches the cart at 0 and the checkout 10 s later; thanks 30 s after the checkout for
 * "bought" and 90 s after the first checkout for "abandonedThenBought".
 */
export const SCENARIO: Array<{ kind: string; count: number; ua?: string; loads: PageLoad[] }> = [
  { kind: 'abandoned', count: 24, ua: MOBILE_UA, loads: [cart(), { path: '/checkout.html', at: 10_000, actions: fillAll }] },
  {
    kind: 'abandonedThenBought',
    count: 6,
    ua: MOBILE_UA,
    loads: [cart(), { path: '/checkout.html', at: 10_000, actions: fillAll }, { path: '/checkout.html', at: 30_000, actions: [...fillAll, submitCheckout] }, thanks(100_000)],
  },
  {
    kind: 'bought',
    count: 20,
    loads: [cart({ path: '/cart.html?utm_source=Google', referrer: 'https://www.google.com/' }), { path: '/checkout.html', at: 10_000, actions: [...fillAll, submitCheckout] }, thanks(40_000)],
  },
  { kind: 'left', count: 20, ua: MOBILE_UA, loads: [cart(), { path: '/checkout.html', at: 10_000 }] },
];

export interface SeededSession {
  id: string;
  kind: string;
  startedAt: number;
}

/** Records every visit of SCENARIO (session ids in start order), then runs the analysis pass until the queue is empty. */
export async function seedCheckoutScenario(t: TestApp | BackendTestApp): Promise<SeededSession[]> {
  const sessions: SeededSession[] = [];
  for (const { kind, count, ua, loads } of SCENARIO) {
    for (let i = 0; i < count; i++) {
      const index = sessions.length;
      const session = { id: `session-${String(index).padStart(3, '0')}`, kind, startedAt: T0 + index * SESSION_GAP_MS };
      await recordVisit(t, session.id, session.startedAt, loads, ua);
      sessions.push(session);
    }
  }
  await analyse(t);
  return sessions;
}

/** On either backend: a BackendTestApp brings its own pass (PostgreSQL's writes inside its transactions). */
export async function analyse(t: TestApp | BackendTestApp): Promise<void> {
  const pass = 'analysisPass' in t ? t.analysisPass({ log: () => {} }) : createAnalysisPass({ transactions: sqliteTransactions(t.db), repos: t.repos, idleTimeoutMs: 60_000, log: () => {} });
  while ((await pass.run()).batches > 0);
}
