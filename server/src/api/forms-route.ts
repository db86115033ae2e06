// GET /api/forms, /api/forms/drop-off and /api/forms/sessions: a site's forms ranked by abandonment, one form's field drop-off, and its abandoning sessions with their replay moments.
import { Hono } from 'hono';
import { z } from 'zod';
import type { FormAbandonmentList, FormDropOff, FormList, FormSummary } from '../api-types';
import { REPLAY_LEAD_MS } from '../conversions/conversion-thresholds';
import { ApiError } from '../errors/api-error';
import type { AppRepos } from '../repos/create-repos';
import type { AbandoningCursor, FormCounts, FormRange } from '../repos/form-report-repo';
import { parseQuery } from './parse-input';
import { siteIdParam, timeParam } from './query-fields';
import { reportRange } from './report-range';

/** Forms in a ranking: a site has a handful; past this it is the long tail of one-session forms. */
export const MAX_FORMS = 200;
export const DEFAULT_FORM_SESSIONS_PAGE = 50;
export const MAX_FORM_SESSIONS_PAGE = 200;
const MAX_SELECTOR_CHARS = 2000;

/** Opaque to clients: [ts, sessionId] as base64url JSON. */
const encodeCursor = ({ ts, sessionId }: AbandoningCursor) => Buffer.from(JSON.stringify([ts, sessionId])).toString('base64url');
const cursorParam = z
  .string()
  .max(512)
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') return { ts: value[0] as number, sessionId: value[1] };
    } catch {
      // Falls through to the issue below.
    }
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this list gave out; start the list again without it' });
    return z.NEVER;
  });

// Strict: a misspelt parameter is refused rather than silently ignored.
const formsQuery = z.strictObject({ site: siteIdParam, from: timeParam.optional(), to: timeParam.optional() });
const formQuery = formsQuery.extend({
  form: z.string({ error: 'a form selector is required' }).min(1).max(MAX_SELECTOR_CHARS),
  url: z.string({ error: "the form's page URL is required" }).min(1).max(MAX_SELECTOR_CHARS),
});
const sessionsQuery = formQuery.extend({
  field: z.string().min(1).max(MAX_SELECTOR_CHARS).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1, 'must be a positive integer')
    .transform((n) => Math.min(n, MAX_FORM_SESSIONS_PAGE))
    .default(DEFAULT_FORM_SESSIONS_PAGE),
  before: cursorParam.optional(),
});

const summaryOf = ({ form, path, started, submitted, abandoned }: FormCounts): FormSummary => ({
  form,
  url: path,
  started,
  submitted,
  abandoned,
  abandonmentRate: started ? abandoned / started : 0,
});

export function createFormsRoute({ sites, forms }: AppRepos, now: () => number = Date.now): Hono {
  const { report } = forms;
  const app = new Hono();

  async function rangeOf(query: z.output<typeof formsQuery>): Promise<FormRange> {
    if (!(await sites.findById(query.site))) throw new ApiError(404, 'not_found', `No site ${query.site}`);
    return { siteId: query.site, ...reportRange(query, now()) };
  }

  app.get('/', async (c) => {
    const query = parseQuery(formsQuery, c.req.query());
    const range = await rangeOf(query);
    return c.json({ from: range.from, to: range.to, forms: (await report.forms(range, MAX_FORMS)).map(summaryOf) } satisfies FormList);
  });

  app.get('/drop-off', async (c) => {
    const query = parseQuery(formQuery, c.req.query());
    const range = await rangeOf(query);
    const key = { form: query.form, path: query.url };
    const fields = (await report.fields(range, key)).map((row) => ({ ...row, label: row.label || null }));
    return c.json({ from: range.from, to: range.to, summary: summaryOf(await report.counts(range, key)), fields } satisfies FormDropOff);
  });

  app.get('/sessions', async (c) => {
    const query = parseQuery(sessionsQuery, c.req.query());
    const range = await rangeOf(query);
    const key = { form: query.form, path: query.url };
    const field = query.field ?? null;
    const rows = await report.abandoningSessions(range, key, { field, before: query.before ?? null, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const list: FormAbandonmentList = {
      total: await report.countAbandoning(range, key, field),
      sessions: page.map(({ endedAt, ...row }) => ({
        ...row,
        durationMs: endedAt - row.startedAt,
        // The player's clock starts at the session's first event, which is its started_at.
        atMs: Math.max(0, Math.round(row.ts - REPLAY_LEAD_MS - row.startedAt)),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ ts: last.ts, sessionId: last.sessionId }) : null,
    };
    return c.json(list);
  });

  return app;
}
