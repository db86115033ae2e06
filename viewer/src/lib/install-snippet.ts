// The script tag a site owner pastes into their pages.

export function installSnippet(origin: string, siteKey: string): string {
  return `<script src="${origin}/recorder.js" data-key="${siteKey}" async></script>`;
}

/** The seeded demo site gets a link to the demo shop so a first session is one click away. */
export const DEMO_SITE_NAME = 'demo';
export const DEMO_SHOP_PATH = '/demo/';
