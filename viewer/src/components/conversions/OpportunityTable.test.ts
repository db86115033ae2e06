// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { Opportunity } from '../../lib/contract';
import type { ImpactReportState } from '../../state/impact-report.svelte';
import OpportunityTable from './OpportunityTable.svelte';

const base = { page: 'https://shop.example/checkout.html', label: null, affected: { sessions: 30, conversions: 6, rate: 0.2 }, comparable: { sessions: 40, conversions: 20, rate: 0.5 } };
const OPPORTUNITIES: Opportunity[] = [
  { ...base, type: 'form_abandonment', target: '#checkout-form', field: '#postcode', status: 'estimate', difference: { estimate: 0.3, low: 0.0723, high: 0.4814 }, lostConversions: { estimate: 9, low: 2.17, high: 14.44 } },
  { ...base, type: 'dead_click', target: '#photo', field: null, affected: { sessions: 3, conversions: 0, rate: 0 }, status: 'not_enough_data', difference: null, lostConversions: null },
];
/** What the table reads of the report state: nothing opened. */
const closed = { opened: null, sessionsStatus: 'idle', sessions: null, toggle: () => Promise.resolve() } as unknown as ImpactReportState;

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  document.body.innerHTML = '';
});

describe('OpportunityTable', () => {
  it('shows each opportunity with its sample sizes, the lost conversions with their interval, or "not enough data"', () => {
    component = mount(OpportunityTable, { target: document.body, props: { state: closed, opportunities: OPPORTUNITIES, minSample: 30 } });
    flushSync();
    const rows = [...document.querySelectorAll('.opportunity')].map((row) => row.textContent!.replace(/\s+/g, ' '));
    expect(rows[0]).toContain('Form abandonment of #checkout-form at #postcode');
    expect(rows[0]).toContain('9.0 (2.2 to 14.4) conversions lost (95% interval)');
    expect(rows[0]).toContain('Affected: 30 sessions, 20.0% converted');
    expect(rows[0]).toContain('Comparable (same page, without it): 40 sessions, 50.0% converted');
    expect(rows[1]).toContain('Not enough data (needs 30 sessions on each side)');
    expect(document.querySelectorAll('button')[1]!.textContent).toBe('Replays (3)');
  });
});
