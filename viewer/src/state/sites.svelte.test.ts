import { describe, expect, it } from 'vitest';
import { ApiClient } from '../lib/api-client';
import type { Site } from '../lib/contract';
import { memoryStore, type KeyValueStore } from '../lib/storage';
import { errorReply, fakeFetch, type FakeReply } from '../testing/fake-fetch';
import { SELECTED_SITE_STORAGE_KEY, SitesState } from './sites.svelte';

const site = (id: string, name: string): Site => ({ id, name, origins: ['self'], key: `key-${id}`, createdAt: 1, urlPatterns: [], retentionDays: null });

function sitesWith(handler: Parameters<typeof fakeFetch>[0], store: KeyValueStore = memoryStore()) {
  const fake = fakeFetch(handler);
  return { fake, store, sites: new SitesState(new ApiClient({ fetch: fake.fetch }), store) };
}

const twoSites: FakeReply = { json: { sites: [site('a', 'demo'), site('b', 'Shop')] } };

describe('SitesState', () => {
  it('selects the first site by default', async () => {
    const { sites } = sitesWith(() => twoSites);
    expect(sites.selected).toBeNull();
    await sites.load();
    expect(sites.status).toBe('ready');
    expect(sites.selected?.id).toBe('a');
  });

  it('remembers the selection across visits', async () => {
    const first = sitesWith(() => twoSites);
    await first.sites.load();
    first.sites.select('b');
    expect(first.sites.selected?.name).toBe('Shop');
    expect(first.store.getItem(SELECTED_SITE_STORAGE_KEY)).toBe('b');

    const next = sitesWith(() => twoSites, first.store);
    await next.sites.load();
    expect(next.sites.selected?.id).toBe('b');
  });

  it('falls back to the first site when the remembered one is gone', async () => {
    const { sites } = sitesWith(() => twoSites, memoryStore({ [SELECTED_SITE_STORAGE_KEY]: 'deleted' }));
    await sites.load();
    expect(sites.selected?.id).toBe('a');
  });

  it('reports a failed load', async () => {
    const { sites } = sitesWith(() => errorReply(503, 'internal', 'starting up'));
    await sites.load();
    expect(sites.status).toBe('error');
    expect(sites.error).toBe('The server ran into a problem: starting up');
    expect(sites.selected).toBeNull();
  });

  it('creates a site and refreshes the list', async () => {
    let created = false;
    const { fake, sites } = sitesWith((req) => {
      if (req.method === 'POST') {
        created = true;
        return { status: 201, json: { id: 'c', key: 'key-c' } };
      }
      return { json: { sites: created ? [site('a', 'demo'), site('c', 'New')] : [site('a', 'demo')] } };
    });
    await sites.load();

    const result = await sites.create({ name: 'New', origins: ['https://new.example'] });

    expect(result).toEqual({ id: 'c', key: 'key-c' });
    expect(sites.sites.map((s) => s.name)).toEqual(['demo', 'New']);
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });
});
