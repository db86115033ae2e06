import { expect, it } from 'vitest';
import { describeBothBackends } from '../../../test/support/both-backends';
import type { FunnelStep } from '../api-types';

describeBothBackends('funnels repository', (backend) => {
  const steps: FunnelStep[] = [
    { kind: 'page', pattern: '/cart' },
    { kind: 'event', event: 'checkout' },
  ];

  it('creates, lists, updates and deletes a site’s funnels', async () => {
    const { sites, conversions } = backend().repos;
    const { funnels } = conversions;
    const shop = await sites.create({ name: 'Shop', origins: [] });
    const other = await sites.create({ name: 'Other', origins: [] });
    const funnel = await funnels.create(shop.id, { name: 'Checkout', steps }, 1000);
    await funnels.create(other.id, { name: 'Elsewhere', steps }, 500);
    expect(funnel).toEqual({ id: funnel.id, siteId: shop.id, name: 'Checkout', steps, createdAt: 1000, updatedAt: 1000 });
    expect(await funnels.listBySite(shop.id)).toEqual([funnel]);
    expect(await funnels.get(funnel.id)).toEqual(funnel);

    const longer = [...steps, { kind: 'page', pattern: '/thanks' } satisfies FunnelStep];
    expect(await funnels.update(funnel.id, { name: 'Checkout 2', steps: longer }, 2000)).toEqual({ ...funnel, name: 'Checkout 2', steps: longer, updatedAt: 2000 });
    expect(await funnels.update('nope', { name: 'X', steps }, 2000)).toBeUndefined();
    expect(await funnels.delete(funnel.id)).toBe(true);
    expect(await funnels.delete(funnel.id)).toBe(false);
    expect(await funnels.get(funnel.id)).toBeUndefined();
  });
});
