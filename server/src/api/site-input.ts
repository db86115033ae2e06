// Validates and normalizes the body of POST /api/sites.
import { z } from 'zod';
import { ApiError } from '../errors/api-error';
import { SELF_ORIGIN } from '../ingest/origin-check';
import type { NewSite } from '../repos/sites-repo';
import { holdsNul, NUL_MESSAGE } from './parse-input';

export const MAX_SITE_NAME_LENGTH = 100;

/** An origin is scheme, host and port only; anything more is almost always a pasted page URL. */
export function normalizeOrigin(value: string): string | undefined {
  if (value === SELF_ORIGIN) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return undefined;
  }
  // A trailing "?" or "#" leaves search and hash empty but is still not an origin.
  if (/[?#]/.test(value)) return undefined;
  return url.origin;
}

const siteInput = z.object({
  name: z.string().trim().min(1).max(MAX_SITE_NAME_LENGTH),
  origins: z
    .array(
      z.string().transform((value, ctx) => {
        const origin = normalizeOrigin(value.trim());
        if (origin === undefined) {
          ctx.addIssue({ code: 'custom', message: `"${value}" is not "self" or an http(s) origin such as https://shop.example` });
          return z.NEVER;
        }
        return origin;
      }),
    )
    .min(1),
});

export function parseSiteInput(body: unknown): NewSite {
  if (holdsNul(body)) throw new ApiError(400, 'invalid_request', NUL_MESSAGE);
  const result = siteInput.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new ApiError(400, 'invalid_request', path ? `${path}: ${issue.message}` : issue.message);
  }
  return { name: result.data.name, origins: [...new Set(result.data.origins)] };
}
