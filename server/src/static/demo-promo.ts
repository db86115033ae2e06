// The demo shop's promo code check, a stand-in for a shop's own API: one code works, and the one the cart advertises fails as expired campaigns do.
import type { Context } from 'hono';
import { ApiError } from '../errors/api-error';

/** Where the demo's cart posts the code (text/plain); demo-only, beside the demo's pages. */
export const DEMO_PROMO_PATH = '/demo/api/promo';
/** The code that works: 10 % off. */
export const DEMO_PROMO_CODE = 'WELCOME10';
export const DEMO_PROMO_RATE = 0.1;
/** Longer than any code; the rest of a body is not read. */
const MAX_CODE_CHARS = 40;

/** 200 {code, rate} for the working code; 422 for any other, the advertised SPRING15 included (the demo's trap). */
export async function checkDemoPromo(c: Context): Promise<Response> {
  const code = (await c.req.text()).slice(0, MAX_CODE_CHARS).trim().toUpperCase();
  if (code !== DEMO_PROMO_CODE) throw new ApiError(422, 'invalid_request', 'This code is not valid.');
  return c.json({ code, rate: DEMO_PROMO_RATE });
}
