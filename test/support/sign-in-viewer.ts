// Signs a browser context into the viewer as a person's sign-in does: the token posted once from the viewer's own page, a cookie kept.
import type { BrowserContext, Page } from 'playwright-core';

/**
 * Opens the viewer (its CSP lets the page call its own API) and posts the token to /api/auth/session
 * from there, so the request carries the viewer's Origin and the browser stores the HttpOnly cookie
 * for the whole context. The page is left blank, so the test's first address loads the viewer afresh
 * (a change of the hash alone would keep the sign-in page that was shown before the cookie existed).
 */
export async function signInViewer(page: Page, origin: string, adminToken: string): Promise<void> {
  await page.goto(`${origin}/`);
  const status = await page.evaluate(async (token) => {
    const response = await fetch('/api/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      credentials: 'same-origin',
    });
    return response.status;
  }, adminToken);
  if (status !== 201) throw new Error(`signing the viewer in answered ${status}`);
  await page.goto('about:blank');
}

/**
 * The same sign-in made from Node (a script sends no Origin) with the cookie handed to the context,
 * for measurements that need the viewer's first load to be a cold one.
 */
export async function signInContext(context: BrowserContext, origin: string, adminToken: string): Promise<void> {
  const response = await fetch(`${origin}/api/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: adminToken }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const [name, value] = setCookie.split(';')[0]!.split('=');
  if (response.status !== 201 || !name || !value) throw new Error(`signing in answered ${response.status} (${setCookie})`);
  await context.addCookies([{ name, value, url: `${origin}/api/`, httpOnly: true, sameSite: 'Strict' }]);
}
