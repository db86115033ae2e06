// Test data: a complete SessionSummary, with only what a test cares about overridden.
import type { SessionSummary } from '../lib/contract';

export function sessionSummary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id: 'sess0001',
    siteId: 's1',
    startedAt: 1_000,
    endedAt: 126_000,
    durationMs: 125_000,
    pageCount: 2,
    eventCount: 40,
    entryUrl: 'https://shop.example/',
    browser: 'Chrome',
    browserVersion: '124.0',
    os: 'macOS',
    device: 'desktop',
    friction: { rage_click: 0, dead_click: 0, form_abandonment: 0, error_loop: 0 },
    frustrationScore: 0,
    errorCount: 0,
    userId: null,
    watchedAt: null,
    firstFrictionAt: {},
    ...overrides,
  };
}
