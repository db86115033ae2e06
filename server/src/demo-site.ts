// Makes sure the bundled demo shop has a site to record into, so `npm start` works with no setup.
import type { Site } from './api-types';
import { SELF_ORIGIN } from './ingest/origin-check';
import type { SitesRepo } from './repos/sites-repo';

export const DEMO_SITE_NAME = 'demo';

/** The demo pages are served by this server, so "self" is the only origin they post from. */
export function ensureDemoSite(sites: SitesRepo): Site {
  return sites.findByName(DEMO_SITE_NAME) ?? sites.create({ name: DEMO_SITE_NAME, origins: [SELF_ORIGIN] });
}
