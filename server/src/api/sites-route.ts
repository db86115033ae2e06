// GET and POST /api/sites: list the sites and register a new one (admin only).
import { Hono } from 'hono';
import type { CreatedSite, Site, SiteList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { MaybeAsync } from '../repos/maybe-async';
import type { SitesRepo } from '../repos/sites-repo';
import { parseBody, readJson } from './parse-input';
import { parseSiteInput } from './site-input';
import { siteSettingsInput } from './url-patterns-input';

export function createSitesRoute(sites: MaybeAsync<SitesRepo>): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ sites: await sites.list() } satisfies SiteList));

  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new ApiError(400, 'invalid_json', 'Body is not valid JSON');
    }
    const site = await sites.create(parseSiteInput(body));
    return c.json({ id: site.id, key: site.key } satisfies CreatedSite, 201);
  });

  // Heatmap URL patterns (applied when heatmaps are read, so a change covers what is already recorded)
  // and the retention period (the retention job applies it to stored sessions within minutes).
  app.patch('/:id', async (c) => {
    const id = c.req.param('id');
    const { urlPatterns, retentionDays } = parseBody(siteSettingsInput, await readJson(c.req));
    if (!(await sites.findById(id))) throw new ApiError(404, 'not_found', `No site ${id}`);
    if (urlPatterns !== undefined) await sites.setUrlPatterns(id, urlPatterns);
    if (retentionDays !== undefined) await sites.setRetentionDays(id, retentionDays);
    return c.json((await sites.findById(id))! satisfies Site);
  });

  return app;
}
