import { describe, expect, it } from 'vitest';
import { HOUR_MS, createSessionAdmissions } from './session-admissions';

const HOUR = 490_000 * HOUR_MS;

describe('createSessionAdmissions', () => {
  it('admits a site up to its hourly cap, each session once, until the next UTC hour', () => {
    const admissions = createSessionAdmissions(2);
    expect(admissions.admit('site-a', 's1', HOUR + 10)).toBe(0);
    expect(admissions.admit('site-a', 's2', HOUR + 20)).toBe(0);
    // Asked again for an admitted session (its batch stored again after a rollback): still admitted.
    expect(admissions.admit('site-a', 's1', HOUR + 30)).toBe(0);
    expect(admissions.admit('site-a', 's3', HOUR + 1000)).toBe(HOUR_MS - 1000);
    // Another site counts on its own.
    expect(admissions.admit('site-b', 's4', HOUR + 1000)).toBe(0);
    expect(admissions.admit('site-a', 's3', HOUR + HOUR_MS)).toBe(0);
  });
});

describe('SessionAdmissions.countElsewhere', () => {
  it('counts sessions other nodes admitted this hour against the cap, and forgets them with the hour', () => {
    const admissions = createSessionAdmissions(3);
    admissions.countElsewhere('site-a', 2, HOUR + 5, HOUR + 10);
    // Admissions from an hour already over count for nothing.
    admissions.countElsewhere('site-a', 50, HOUR - 5, HOUR + 10);
    expect(admissions.admit('site-a', 's1', HOUR + 20)).toBe(0);
    expect(admissions.admit('site-a', 's2', HOUR + 30)).toBe(HOUR_MS - 30);
    expect(admissions.admit('site-b', 's3', HOUR + 30)).toBe(0);
    // The next hour starts afresh on every node.
    expect(admissions.admit('site-a', 's2', HOUR + HOUR_MS)).toBe(0);
  });
});
