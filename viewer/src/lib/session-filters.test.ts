import { describe, expect, it } from 'vitest';
import { sessionSummary } from '../testing/session-summary';
import {
  NO_FILTERS,
  REPLAY_LEAD_IN_MS,
  isFiltered,
  listReplayOffset,
  parseSessionFilters,
  sessionFiltersQuery,
  sessionListApiParams,
  type SessionFilters,
} from './session-filters';

const ALL: SessionFilters = {
  sort: 'score',
  friction: ['rage_click', 'form_abandonment'],
  url: '/checkout?step=2&x=a b',
  from: '2026-03-01',
  to: '2026-03-31',
  minDuration: 30,
  maxDuration: 600,
  device: 'mobile',
  browser: 'Mobile Safari',
  errors: true,
  identified: true,
  user: 'user 42&co',
  watched: false,
};

describe('session filters in the route', () => {
  it('reads nothing as no filters, newest first', () => {
    expect(parseSessionFilters(new URLSearchParams())).toEqual(NO_FILTERS);
    expect(sessionFiltersQuery(NO_FILTERS).toString()).toBe('');
  });

  it('round-trips every filter through the query', () => {
    const query = sessionFiltersQuery(ALL);
    expect(parseSessionFilters(new URLSearchParams(query.toString()))).toEqual(ALL);
  });

  it('writes friction types in a fixed order, so equal filters make equal links', () => {
    const a = sessionFiltersQuery({ ...NO_FILTERS, friction: ['error_loop', 'rage_click'] }).toString();
    const b = sessionFiltersQuery({ ...NO_FILTERS, friction: ['rage_click', 'error_loop'] }).toString();
    expect(a).toBe(b);
    expect(a).toBe('friction=rage_click%2Cerror_loop');
  });

  it('drops values it cannot use instead of refusing the link', () => {
    const params = new URLSearchParams('sort=oldest&friction=rage_click,angry&from=March&to=2026-02-30x&minDuration=-3&maxDuration=1.5&device=phone&errors=yes&watched=2');
    expect(parseSessionFilters(params)).toEqual({ ...NO_FILTERS, friction: ['rage_click'] });
  });

  it('knows when the list is narrowed; the sort alone does not narrow it', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, sort: 'longest' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, watched: false })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, url: '   ' })).toBe(false);
  });
});

describe('session filters for the API', () => {
  it('sends seconds as milliseconds and whole local days as a start range', () => {
    const params = sessionListApiParams(ALL);
    expect(params).toEqual({
      sort: 'score',
      friction: 'rage_click,form_abandonment',
      url: '/checkout?step=2&x=a b',
      from: String(new Date(2026, 2, 1).getTime()),
      to: String(new Date(2026, 3, 1).getTime()),
      minDurationMs: '30000',
      maxDurationMs: '600000',
      device: 'mobile',
      browser: 'Mobile Safari',
      errors: 'true',
      identified: 'true',
      user: 'user 42&co',
      watched: 'false',
    });
    expect(sessionListApiParams(NO_FILTERS)).toEqual({});
  });
});

describe('where a listed replay opens', () => {
  const session = sessionSummary({ startedAt: 10_000, firstFrictionAt: { dead_click: 20_000, rage_click: 25_000, error_loop: 11_000 } });

  it('at the start without a friction filter', () => {
    expect(listReplayOffset(session, NO_FILTERS)).toBeUndefined();
  });

  it(`${REPLAY_LEAD_IN_MS} ms before the first flag of the filtered types, never before the start`, () => {
    expect(listReplayOffset(session, { ...NO_FILTERS, friction: ['rage_click', 'dead_click'] })).toBe(10_000 - REPLAY_LEAD_IN_MS);
    expect(listReplayOffset(session, { ...NO_FILTERS, friction: ['error_loop'] })).toBe(0);
    expect(listReplayOffset(session, { ...NO_FILTERS, friction: ['form_abandonment'] })).toBeUndefined();
  });
});
