import { EventType, type eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../lib/api-client';
import type { SessionDetail } from '../lib/contract';
import { errorReply, fakeFetch, type FakeReply } from '../testing/fake-fetch';
import { SessionReplay } from './session-replay.svelte';

const DETAIL: SessionDetail = {
  id: 'sess0001',
  siteId: 's1',
  startedAt: 5_000,
  endedAt: 65_000,
  durationMs: 60_000,
  pageCount: 2,
  eventCount: 3,
  entryUrl: 'https://shop.example/',
  browser: 'Firefox',
  browserVersion: '126.0',
  os: 'Windows',
  device: 'desktop',
  pages: [
    { id: 'p1', url: 'https://shop.example/', startedAt: 5_000 },
    { id: 'p2', url: 'https://shop.example/cart', startedAt: 35_250 },
  ],
};

const EVENTS: eventWithTime[] = [
  { type: EventType.Meta, data: { href: 'https://shop.example/', width: 1440, height: 900 }, timestamp: 5_000 },
  { type: EventType.Load, data: {}, timestamp: 5_100 },
  { type: EventType.Meta, data: { href: 'https://shop.example/cart', width: 1440, height: 900 }, timestamp: 35_250 },
];

function replayWith(events: FakeReply, detail: FakeReply = { json: DETAIL }) {
  const fake = fakeFetch((req) => (req.url.endsWith('/events') ? events : detail));
  return { fake, replay: new SessionReplay(new ApiClient({ token: 't', fetch: fake.fetch })) };
}

describe('SessionReplay', () => {
  it('loads detail and events and places pages on the timeline', async () => {
    const { fake, replay } = replayWith({ json: EVENTS });

    await replay.load('sess0001');

    expect(replay.status).toBe('ready');
    expect(replay.detail?.browser).toBe('Firefox');
    expect(replay.canReplay).toBe(true);
    expect(replay.pages.map((p) => [p.id, p.offsetMs])).toEqual([
      ['p1', 0],
      ['p2', 30_250],
    ]);
    expect(replay.viewport).toEqual({ width: 1440, height: 900 });
    expect(fake.requests.map((r) => r.url).sort()).toEqual(['/api/sessions/sess0001', '/api/sessions/sess0001/events']);
  });

  it('cannot replay fewer than two events', async () => {
    const { replay } = replayWith({ json: EVENTS.slice(0, 1) });
    await replay.load('sess0001');
    expect(replay.status).toBe('ready');
    expect(replay.canReplay).toBe(false);
  });

  it('reports a missing session', async () => {
    const { replay } = replayWith({ json: [] }, errorReply(404, 'not_found', 'Session not found'));
    await replay.load('gone0000');
    expect(replay.status).toBe('error');
    expect(replay.error).toBe('We could not find that. It may have been deleted.');
    expect(replay.detail).toBeNull();
    expect(replay.pages).toEqual([]);
  });
});
