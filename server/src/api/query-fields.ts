// Zod fields shared by the query API's routes: time bounds, friction type lists, ids.
import { z } from 'zod';
import { FRICTION_TYPES, type FrictionType } from '../api-types';

/** A moment as ms since epoch or an ISO 8601 date or date-time; a date alone is midnight UTC. */
export const timeParam = z.string().transform((text, ctx) => {
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected ms since epoch or an ISO 8601 date such as 2026-11-30 or 2026-11-30T12:00:00Z' });
    return z.NEVER;
  }
  return ms;
});

/** A comma-separated list of friction types; an unknown one is refused with the valid ones listed. */
export const frictionTypesParam = z.string().transform((text, ctx) => {
  const types = text.split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = types.filter((type) => !(FRICTION_TYPES as readonly string[]).includes(type));
  if (unknown.length > 0 || types.length === 0) {
    ctx.addIssue({ code: 'custom', message: `unknown friction type "${unknown[0] ?? text}"; valid types are ${FRICTION_TYPES.join(', ')}` });
    return z.NEVER;
  }
  return [...new Set(types)] as FrictionType[];
});

export const siteIdParam = z.string().min(1).max(64);

/**
 * The `:id` of an admin path. Every id the server makes (sites, goals, funnels: base64url; sessions:
 * the recorder's ID_PATTERN) is 1 to 64 of these characters; anything else names nothing.
 */
export const pathIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id: 1 to 64 letters, digits, "-" or "_"');
