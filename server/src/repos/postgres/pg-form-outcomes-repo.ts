// Each page load's form outcomes on PostgreSQL, with the fields touched and the messages seen, replaced per page by the analysis pass.
import type { FormOutcomesRepo } from '../form-outcomes-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

// Fields and errors go with their outcome (ON DELETE CASCADE).
const remove = statement<[string, string, string]>('form_outcomes_remove', 'DELETE FROM form_outcomes WHERE site_id = $1 AND session_id = $2 AND page_id = $3');
const insert = statement<[string, string, string, string, string, boolean, boolean, number, string | null]>(
  'form_outcomes_insert',
  `INSERT INTO form_outcomes (site_id, session_id, page_id, form, path, submitted, abandoned, ts, drop_off_field)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
);
const insertFields = statement<[string, string, string, string, string, string[], string[]]>(
  'form_outcomes_insert_fields',
  `INSERT INTO form_outcome_fields (site_id, session_id, page_id, form, path, field, label)
   SELECT $1, $2, $3, $4, $5, f.field, f.label FROM unnest($6::text[], $7::text[]) AS f (field, label)`,
);
const insertErrors = statement<[string, string, string, string, string, string[], string[]]>(
  'form_outcomes_insert_errors',
  `INSERT INTO form_outcome_errors (site_id, session_id, page_id, form, path, field, message)
   SELECT $1, $2, $3, $4, $5, e.field, e.message FROM unnest($6::text[], $7::text[]) AS e (field, message)`,
);

/** Run, as on SQLite, inside the transaction of the pass that judged the page. */
export function createPgFormOutcomesRepo(db: Queryable): Async<FormOutcomesRepo> {
  return {
    async replaceForPage({ siteId, sessionId, pageId }, outcomes) {
      await remove.run(db, siteId, sessionId, pageId);
      for (const outcome of outcomes) {
        const key = [siteId, sessionId, pageId, outcome.form, outcome.path] as const;
        await insert.run(db, ...key, outcome.submitted, outcome.abandoned, Math.floor(outcome.ts), outcome.dropOffField);
        if (outcome.fields.length) await insertFields.run(db, ...key, outcome.fields.map((f) => f.field), outcome.fields.map((f) => f.label));
        if (outcome.errors.length) await insertErrors.run(db, ...key, outcome.errors.map((e) => e.field), outcome.errors.map((e) => e.message));
      }
    },
  };
}
