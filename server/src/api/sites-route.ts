// GET and POST /api/sites: list the sites and register a new one (admin only).
import { Hono } from 'hono';
import type { CreatedSite, SiteList } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { SitesRepo } from '../repos/sites-repo';
import { parseSiteInput } from './site-input';

export function createSitesRoute(sites: SitesRepo): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json({ sites: sites.list() } satisfies SiteList));

  app.post('/', async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new ApiError(400, 'invalid_json', 'Body is not valid JSON');
    }
    const site = sites.create(parseSiteInput(body));
    return c.json({ id: site.id, key: site.key } satisfies CreatedSite, 201);
  });

  return app;
}
