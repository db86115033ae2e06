import { describe, expect, it } from 'vitest';
import { ApiClient } from '../lib/api-client';
import type { HeatmapData, HeatmapSnapshot } from '../lib/contract';
import { parseRoute, routeHref } from '../lib/route';
import { fakeFetch, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { HeatmapView } from './heatmap-view.svelte';

const DATA: HeatmapData = { url: 'https://shop.example/checkout', device: 'desktop', kind: 'all', from: null, to: null, total: 3, selectors: ['#pay'], cells: [{ s: 0, fx: 0.525, fy: 0.525, n: 3, x: 0.5, y: 400, fixed: false }] };
const SNAPSHOT: HeatmapSnapshot = { sessionId: 's1', pageId: 'p1', url: 'https://shop.example/checkout', width: 1280, height: 800, momentTs: 2, events: [] };
const query = { site: 'site1', url: 'https://shop.example/checkout', device: 'desktop' as const, kind: 'all' as const };

function viewWith(reply: (request: RecordedRequest) => FakeReply) {
  const fake = fakeFetch(reply);
  return { fake, view: new HeatmapView(new ApiClient({ fetch: fake.fetch })) };
}
const answers = (snapshot: FakeReply = { json: SNAPSHOT }) => (request: RecordedRequest): FakeReply => {
  const path = new URL(request.url, 'http://x').pathname;
  if (path === '/api/heatmap') return { json: DATA };
  if (path.endsWith('/elements')) return { json: { total: 3, elements: [{ selector: '#pay', label: 'button "Pay"', clicks: 3, rageClicks: 0, deadClicks: 0, errorClicks: 0 }] } };
  if (path.endsWith('/scroll')) return { json: { views: 0, steps: [], averageFold: null, averageFoldPx: null } };
  if (path.endsWith('/snapshot')) return snapshot;
  return { json: { sessions: [{ sessionId: 'sess1', clickTs: 5, atMs: 0, clicks: 1, rageClicks: 0, deadClicks: 0, errorClicks: 0 }] } };
};

describe('HeatmapView', () => {
  it('loads the heatmap, elements, scroll and snapshot, and fetches the snapshot again only for another page or device', async () => {
    const { fake, view } = viewWith(answers());
    await view.load(query);
    await Promise.resolve();
    expect(view.status).toBe('ready');
    expect(view.data?.total).toBe(3);
    expect(view.snapshotStatus).toBe('ready');
    expect(fake.requests.map((r) => new URL(r.url, 'http://x').pathname).sort()).toEqual(['/api/heatmap', '/api/heatmap/elements', '/api/heatmap/scroll', '/api/heatmap/snapshot']);
    expect(new URL(fake.requests[0]!.url, 'http://x').searchParams.get('url')).toBe(query.url);

    await view.load({ ...query, kind: 'rage' });
    expect(fake.requests.filter((r) => r.url.includes('/snapshot'))).toHaveLength(1);
    await view.load({ ...query, device: 'mobile' });
    expect(fake.requests.filter((r) => r.url.includes('/snapshot'))).toHaveLength(2);
  });

  it('says the snapshot is missing on a 404, and lists the sessions behind a chosen element', async () => {
    const { fake, view } = viewWith(answers({ status: 404, json: { error: { code: 'not_found', message: 'No recorded load' } } }));
    await view.load(query);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(view.snapshotStatus).toBe('missing');
    await view.select('#pay');
    expect(view.selected).toBe('#pay');
    expect(view.sessions.map((s) => s.sessionId)).toEqual(['sess1']);
    expect(new URL(fake.requests.at(-1)!.url, 'http://x').searchParams.get('selector')).toBe('#pay');
    await view.select(null);
    expect(view.sessions).toEqual([]);
  });
});

describe('heatmap route', () => {
  it('round-trips a shareable heatmap address and falls back on unknown switches', () => {
    const route = { name: 'heatmap' as const, site: 'site1', url: 'https://shop.example/checkout?x=1', device: 'mobile' as const, kind: 'rage' as const };
    expect(routeHref(route)).toBe('#/heatmap?site=site1&url=https%3A%2F%2Fshop.example%2Fcheckout%3Fx%3D1&device=mobile&kind=rage');
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(parseRoute('#/heatmap?device=watch&kind=angry')).toEqual({ name: 'heatmap', device: 'desktop', kind: 'all' });
  });
});
