// The abandoned-forms report on PostgreSQL: forms ranked by abandonment, a form's field drop-off, and its abandoning sessions.
import type { AbandoningSessionRow, FieldDropOffRow, FormCounts, FormKey, FormRange, FormReportRepo } from '../form-report-repo';
import type { Async } from '../maybe-async';
import type { QueryResultRow } from 'pg';
import { toPositional, type Queryable } from './pg-statement';

// The same queries as SQLite's, with the joins keyed by site id and submitted a boolean.
const PER_SESSION = `
  SELECT o.form, o.path, o.session_id, max(o.submitted::integer) AS submitted
  FROM form_outcomes o JOIN sessions s ON s.site_id = o.site_id AND s.id = o.session_id
  WHERE o.site_id = @site AND s.started_at >= @from AND s.started_at < @to`;

const ABANDONERS = `
  abandoners AS (
    SELECT o.session_id FROM form_outcomes o JOIN sessions s ON s.site_id = o.site_id AND s.id = o.session_id
    WHERE o.site_id = @site AND o.form = @form AND o.path = @path AND s.started_at >= @from AND s.started_at < @to
    GROUP BY o.session_id HAVING NOT bool_or(o.submitted)
  ),
  last AS (
    SELECT * FROM (
      SELECT o.session_id, o.page_id, o.ts, o.drop_off_field,
        row_number() OVER (PARTITION BY o.session_id ORDER BY o.ts DESC, o.page_id DESC) AS n
      FROM form_outcomes o JOIN abandoners a ON a.session_id = o.session_id
      WHERE o.site_id = @site AND o.form = @form AND o.path = @path
    ) ranked WHERE n = 1
  )`;

/** A named statement written with @name parameters (as SQLite's), bound by position on each call. */
function named<P extends Record<string, unknown>, R extends QueryResultRow>(name: string, sql: string) {
  const run = async (db: Queryable, params: P) => {
    const { text, values } = toPositional(sql, params);
    return (await db.query<R>({ name, text, values })).rows;
  };
  return { all: run, get: async (db: Queryable, params: P) => (await run(db, params))[0] };
}

type RangeParams = { site: string; from: number; to: number };
type KeyParams = RangeParams & { form: string; path: string };

const forms = named<RangeParams & { limit: number }, FormCounts>(
  'form_report_forms',
  `WITH per_session AS (${PER_SESSION} GROUP BY o.form, o.path, o.session_id)
   SELECT form, path, count(*) AS started, sum(submitted) AS submitted, count(*) - sum(submitted) AS abandoned
   FROM per_session GROUP BY form, path
   ORDER BY abandoned DESC, started DESC, form, path LIMIT @limit`,
);
const counts = named<KeyParams, { started: number; submitted: number | null }>(
  'form_report_counts',
  `WITH per_session AS (${PER_SESSION} AND o.form = @form AND o.path = @path GROUP BY o.form, o.path, o.session_id)
   SELECT count(*) AS started, sum(submitted) AS submitted FROM per_session`,
);
const fields = named<KeyParams, FieldDropOffRow>(
  'form_report_fields',
  `WITH ${ABANDONERS},
   touched AS (
     SELECT f.field, count(DISTINCT f.session_id) AS n, max(f.label) AS label
     FROM form_outcome_fields f JOIN abandoners a ON a.session_id = f.session_id
     WHERE f.site_id = @site AND f.form = @form AND f.path = @path GROUP BY f.field
   ),
   dropped AS (SELECT drop_off_field AS field, count(*) AS n FROM last WHERE drop_off_field IS NOT NULL GROUP BY drop_off_field),
   seen AS (
     SELECT e.field, e.message, count(DISTINCT e.session_id) AS n
     FROM form_outcome_errors e JOIN abandoners a ON a.session_id = e.session_id
     WHERE e.site_id = @site AND e.form = @form AND e.path = @path GROUP BY e.field, e.message
   ),
   errored AS (
     SELECT e.field, count(DISTINCT e.session_id) AS n
     FROM form_outcome_errors e JOIN abandoners a ON a.session_id = e.session_id
     WHERE e.site_id = @site AND e.form = @form AND e.path = @path GROUP BY e.field
   ),
   top AS (SELECT field, message, n, row_number() OVER (PARTITION BY field ORDER BY n DESC, message) AS r FROM seen)
   SELECT t.field, t.label, t.n AS touched, coalesce(d.n, 0) AS "lastTouched", coalesce(e.n, 0) AS errored,
     top.message AS "topMessage", coalesce(top.n, 0) AS "topMessageSessions"
   FROM touched t
     LEFT JOIN dropped d ON d.field = t.field
     LEFT JOIN errored e ON e.field = t.field
     LEFT JOIN top ON top.field = t.field AND top.r = 1
   ORDER BY "lastTouched" DESC, errored DESC, touched DESC, t.field`,
);
const sessions = named<KeyParams & { field: string | null; beforeTs: number | null; beforeId: string | null; limit: number }, AbandoningSessionRow>(
  'form_report_sessions',
  `WITH ${ABANDONERS}
   SELECT l.session_id AS "sessionId", s.started_at AS "startedAt", s.ended_at AS "endedAt", s.device, l.ts, l.drop_off_field AS "dropOffField",
     (SELECT nullif(f.label, '') FROM form_outcome_fields f
       WHERE f.site_id = @site AND f.session_id = l.session_id AND f.page_id = l.page_id AND f.form = @form AND f.path = @path AND f.field = l.drop_off_field) AS "dropOffLabel",
     (SELECT min(e.message) FROM form_outcome_errors e
       WHERE e.site_id = @site AND e.session_id = l.session_id AND e.page_id = l.page_id AND e.form = @form AND e.path = @path AND e.field = l.drop_off_field) AS "dropOffMessage"
   FROM last l JOIN sessions s ON s.site_id = @site AND s.id = l.session_id
   WHERE (@field::text IS NULL OR l.drop_off_field = @field)
     AND (@beforeTs::bigint IS NULL OR l.ts < @beforeTs OR (l.ts = @beforeTs AND l.session_id < @beforeId::text))
   ORDER BY l.ts DESC, l.session_id DESC LIMIT @limit`,
);
const countAbandoning = named<KeyParams & { field: string | null }, { count: number }>(
  'form_report_count_abandoning',
  `WITH ${ABANDONERS} SELECT count(*) AS count FROM last WHERE @field::text IS NULL OR drop_off_field = @field`,
);

const params = ({ siteId, from, to }: FormRange, key: FormKey) => ({ site: siteId, from, to, form: key.form, path: key.path });

export function createPgFormReportRepo(db: Queryable): Async<FormReportRepo> {
  return {
    forms: (range, limit) => forms.all(db, { site: range.siteId, from: range.from, to: range.to, limit }),
    async counts(range, key) {
      const row = (await counts.get(db, params(range, key)))!;
      const submitted = row.submitted ?? 0;
      return { ...key, started: row.started, submitted, abandoned: row.started - submitted };
    },
    fields: (range, key) => fields.all(db, params(range, key)),
    abandoningSessions: (range, key, { field, before, limit }) =>
      sessions.all(db, { ...params(range, key), field, beforeTs: before?.ts ?? null, beforeId: before?.sessionId ?? null, limit }),
    countAbandoning: async (range, key, field) => (await countAbandoning.get(db, { ...params(range, key), field }))?.count ?? 0,
  };
}
