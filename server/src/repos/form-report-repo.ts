// The reads behind the abandoned-forms view: forms ranked by abandoning sessions, one form's field drop-off, and its abandoning sessions.
import type { Database } from 'better-sqlite3';

export interface FormRange {
  siteId: string;
  /** Sessions started in [from, to). */
  from: number;
  to: number;
}

export interface FormKey {
  form: string;
  /** Origin and path of the page. */
  path: string;
}

export interface FormCounts extends FormKey {
  /** Sessions with an outcome of the form: they started it, or a submit of it went through. */
  started: number;
  /** Sessions in which a submit of it went through. */
  submitted: number;
  /** Sessions that started it and never got a submit through: started − submitted. */
  abandoned: number;
}

export interface FieldDropOffRow {
  field: string;
  label: string;
  touched: number;
  lastTouched: number;
  errored: number;
  topMessage: string | null;
  topMessageSessions: number;
}

export interface AbandoningSessionRow {
  sessionId: string;
  startedAt: number;
  endedAt: number;
  device: string;
  /** The session's last abandonment of the form. */
  ts: number;
  dropOffField: string | null;
  dropOffLabel: string | null;
  dropOffMessage: string | null;
}

/** Where a page of abandoning sessions starts: after this abandonment moment and session, in the list's order. */
export interface AbandoningCursor {
  ts: number;
  sessionId: string;
}

export interface FormReportRepo {
  /** The site's forms, most abandoning sessions first, then most started. */
  forms(range: FormRange, limit: number): FormCounts[];
  counts(range: FormRange, key: FormKey): FormCounts;
  /** Per field touched by the abandoning sessions: most dropped off at first. */
  fields(range: FormRange, key: FormKey): FieldDropOffRow[];
  /** Abandoning sessions, latest abandonment first; with `field`, those that gave up there. */
  abandoningSessions(range: FormRange, key: FormKey, options: { field: string | null; before: AbandoningCursor | null; limit: number }): AbandoningSessionRow[];
  countAbandoning(range: FormRange, key: FormKey, field: string | null): number;
}

// Each session's outcomes of the site's forms in the range, one row per form and session.
const PER_SESSION = `
  SELECT o.form, o.path, o.session_id, max(o.submitted) AS submitted
  FROM form_outcomes o JOIN sessions s ON s.id = o.session_id
  WHERE o.site_id = @site AND s.started_at >= @from AND s.started_at < @to`;

// The sessions that started the form and never got a submit of it through, and the last abandonment of each.
const ABANDONERS = `
  abandoners AS (
    SELECT o.session_id FROM form_outcomes o JOIN sessions s ON s.id = o.session_id
    WHERE o.site_id = @site AND o.form = @form AND o.path = @path AND s.started_at >= @from AND s.started_at < @to
    GROUP BY o.session_id HAVING max(o.submitted) = 0
  ),
  last AS (
    SELECT * FROM (
      SELECT o.session_id, o.page_id, o.ts, o.drop_off_field,
        row_number() OVER (PARTITION BY o.session_id ORDER BY o.ts DESC, o.page_id DESC) AS n
      FROM form_outcomes o JOIN abandoners a ON a.session_id = o.session_id
      WHERE o.form = @form AND o.path = @path
    ) WHERE n = 1
  )`;

type RangeParams = { site: string; from: number; to: number };
type KeyParams = RangeParams & { form: string; path: string };

export function createFormReportRepo(db: Database): FormReportRepo {
  const forms = db.prepare<[RangeParams & { limit: number }], FormCounts>(
    `WITH per_session AS (${PER_SESSION} GROUP BY o.form, o.path, o.session_id)
     SELECT form, path, count(*) AS started, sum(submitted) AS submitted, count(*) - sum(submitted) AS abandoned
     FROM per_session GROUP BY form, path
     ORDER BY abandoned DESC, started DESC, form, path LIMIT @limit`,
  );
  const counts = db.prepare<[KeyParams], { started: number; submitted: number | null }>(
    `WITH per_session AS (${PER_SESSION} AND o.form = @form AND o.path = @path GROUP BY o.session_id)
     SELECT count(*) AS started, sum(submitted) AS submitted FROM per_session`,
  );
  const fields = db.prepare<[KeyParams], FieldDropOffRow>(
    `WITH ${ABANDONERS},
     touched AS (
       SELECT f.field, count(DISTINCT f.session_id) AS n, max(f.label) AS label
       FROM form_outcome_fields f JOIN abandoners a ON a.session_id = f.session_id
       WHERE f.form = @form AND f.path = @path GROUP BY f.field
     ),
     dropped AS (SELECT drop_off_field AS field, count(*) AS n FROM last WHERE drop_off_field IS NOT NULL GROUP BY drop_off_field),
     seen AS (
       SELECT e.field, e.message, count(DISTINCT e.session_id) AS n
       FROM form_outcome_errors e JOIN abandoners a ON a.session_id = e.session_id
       WHERE e.form = @form AND e.path = @path GROUP BY e.field, e.message
     ),
     errored AS (
       SELECT e.field, count(DISTINCT e.session_id) AS n
       FROM form_outcome_errors e JOIN abandoners a ON a.session_id = e.session_id
       WHERE e.form = @form AND e.path = @path GROUP BY e.field
     ),
     top AS (SELECT field, message, n, row_number() OVER (PARTITION BY field ORDER BY n DESC, message) AS r FROM seen)
     SELECT t.field, t.label, t.n AS touched, coalesce(d.n, 0) AS lastTouched, coalesce(e.n, 0) AS errored,
       top.message AS topMessage, coalesce(top.n, 0) AS topMessageSessions
     FROM touched t
       LEFT JOIN dropped d ON d.field = t.field
       LEFT JOIN errored e ON e.field = t.field
       LEFT JOIN top ON top.field = t.field AND top.r = 1
     ORDER BY lastTouched DESC, errored DESC, touched DESC, t.field`,
  );
  const sessions = db.prepare<[KeyParams & { field: string | null; beforeTs: number | null; beforeId: string | null; limit: number }], AbandoningSessionRow>(
    `WITH ${ABANDONERS}
     SELECT l.session_id AS sessionId, s.started_at AS startedAt, s.ended_at AS endedAt, s.device, l.ts, l.drop_off_field AS dropOffField,
       (SELECT nullif(f.label, '') FROM form_outcome_fields f
         WHERE f.session_id = l.session_id AND f.page_id = l.page_id AND f.form = @form AND f.path = @path AND f.field = l.drop_off_field) AS dropOffLabel,
       (SELECT min(e.message) FROM form_outcome_errors e
         WHERE e.session_id = l.session_id AND e.page_id = l.page_id AND e.form = @form AND e.path = @path AND e.field = l.drop_off_field) AS dropOffMessage
     FROM last l JOIN sessions s ON s.id = l.session_id
     WHERE (@field IS NULL OR l.drop_off_field = @field)
       AND (@beforeTs IS NULL OR l.ts < @beforeTs OR (l.ts = @beforeTs AND l.session_id < @beforeId))
     ORDER BY l.ts DESC, l.session_id DESC LIMIT @limit`,
  );
  const countAbandoning = db.prepare<[KeyParams & { field: string | null }], number>(
    `WITH ${ABANDONERS} SELECT count(*) FROM last WHERE @field IS NULL OR drop_off_field = @field`,
  ).pluck();

  const params = ({ siteId, from, to }: FormRange, key?: FormKey) => ({ site: siteId, from, to, ...(key ? { form: key.form, path: key.path } : {}) });
  return {
    forms: (range, limit) => forms.all({ ...params(range), limit }),
    counts(range, key) {
      const row = counts.get(params(range, key) as KeyParams)!;
      const submitted = row.submitted ?? 0;
      return { ...key, started: row.started, submitted, abandoned: row.started - submitted };
    },
    fields: (range, key) => fields.all(params(range, key) as KeyParams),
    abandoningSessions: (range, key, { field, before, limit }) =>
      sessions.all({ ...(params(range, key) as KeyParams), field, beforeTs: before?.ts ?? null, beforeId: before?.sessionId ?? null, limit }),
    countAbandoning: (range, key, field) => countAbandoning.get({ ...(params(range, key) as KeyParams), field })!,
  };
}
