// Form outcomes per page load, replaced whole by the analysis pass each time it judges the page.
import type { Database } from 'better-sqlite3';
import type { FormOutcome } from '../forms/form-outcomes';

export interface FormOutcomePage {
  siteId: string;
  sessionId: string;
  pageId: string;
}

export interface FormOutcomesRepo {
  /** Replaces everything stored for the page with `outcomes`. */
  replaceForPage(page: FormOutcomePage, outcomes: readonly FormOutcome[]): void;
}

interface OutcomeRow {
  sessionId: string;
  pageId: string;
  form: string;
  path: string;
}

export function createFormOutcomesRepo(db: Database): FormOutcomesRepo {
  // Fields and messages go with their outcome (ON DELETE CASCADE).
  const remove = db.prepare<[string, string]>('DELETE FROM form_outcomes WHERE session_id = ? AND page_id = ?');
  const insert = db.prepare<[OutcomeRow & { siteId: string; submitted: number; abandoned: number; ts: number; dropOffField: string | null }]>(
    `INSERT INTO form_outcomes (session_id, page_id, form, path, site_id, submitted, abandoned, ts, drop_off_field)
     VALUES (@sessionId, @pageId, @form, @path, @siteId, @submitted, @abandoned, @ts, @dropOffField)`,
  );
  const insertField = db.prepare<[OutcomeRow & { field: string; label: string }]>(
    `INSERT INTO form_outcome_fields (session_id, page_id, form, path, field, label) VALUES (@sessionId, @pageId, @form, @path, @field, @label)`,
  );
  const insertError = db.prepare<[OutcomeRow & { field: string; message: string }]>(
    `INSERT INTO form_outcome_errors (session_id, page_id, form, path, field, message) VALUES (@sessionId, @pageId, @form, @path, @field, @message)`,
  );

  return {
    replaceForPage({ siteId, sessionId, pageId }, outcomes) {
      remove.run(sessionId, pageId);
      for (const outcome of outcomes) {
        const key = { sessionId, pageId, form: outcome.form, path: outcome.path };
        insert.run({
          ...key,
          siteId,
          submitted: outcome.submitted ? 1 : 0,
          abandoned: outcome.abandoned ? 1 : 0,
          ts: Math.floor(outcome.ts),
          dropOffField: outcome.dropOffField,
        });
        for (const field of outcome.fields) insertField.run({ ...key, ...field });
        for (const error of outcome.errors) insertError.run({ ...key, ...error });
      }
    },
  };
}
