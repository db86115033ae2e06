import { expect, it } from 'vitest';
import { describeBothBackends } from '../../../test/support/both-backends';

describeBothBackends('sites repository', (backend) => {
  it('creates a site with a fresh id and key, and finds it by id, name and key', async () => {
    const { sites } = backend().repos;
    const site = await sites.create({ name: 'Shop', origins: ['https://shop.example', 'self'] }, 1_700_000_000_000);
    expect(site).toMatchObject({ name: 'Shop', origins: ['https://shop.example', 'self'], createdAt: 1_700_000_000_000, urlPatterns: [], retentionDays: null });
    expect(site.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(site.key).toMatch(/^pk_[A-Za-z0-9_-]{24}$/);
    expect(await sites.findById(site.id)).toEqual(site);
    expect(await sites.findByName('Shop')).toEqual(site);
    expect(await sites.findByKey(site.key)).toEqual({ id: site.id, origins: ['https://shop.example', 'self'] });
    expect(await sites.findById('nope')).toBeUndefined();
    expect(await sites.findByName('Nope')).toBeUndefined();
    expect(await sites.findByKey('pk_nope')).toBeUndefined();
  });

  it('lists sites oldest first; a name shared by two sites finds the older', async () => {
    const { sites } = backend().repos;
    const newer = await sites.create({ name: 'Same', origins: [] }, 2000);
    const older = await sites.create({ name: 'Same', origins: [] }, 1000);
    expect((await sites.list()).map((site) => site.id)).toEqual([older.id, newer.id]);
    expect((await sites.findByName('Same'))?.id).toBe(older.id);
  });

  it('sets URL patterns and retention, false for an unknown site; lists the sites with retention', async () => {
    const { sites } = backend().repos;
    const kept = await sites.create({ name: 'Kept', origins: [] });
    const short = await sites.create({ name: 'Short', origins: [] });
    expect(await sites.setUrlPatterns(kept.id, ['/product/*', '/blog/*'])).toBe(true);
    expect(await sites.setRetentionDays(short.id, 30)).toBe(true);
    expect(await sites.setUrlPatterns('nope', [])).toBe(false);
    expect(await sites.setRetentionDays('nope', 1)).toBe(false);
    expect(await sites.findById(kept.id)).toMatchObject({ urlPatterns: ['/product/*', '/blog/*'], retentionDays: null });
    expect(await sites.listWithRetention()).toEqual([{ id: short.id, retentionDays: 30 }]);
    expect(await sites.setRetentionDays(short.id, null)).toBe(true);
    expect(await sites.listWithRetention()).toEqual([]);
  });
});
