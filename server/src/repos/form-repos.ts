// Builds the abandoned-forms repositories on one database handle.
import type { Database } from 'better-sqlite3';
import { createFormOutcomesRepo, type FormOutcomesRepo } from './form-outcomes-repo';
import { createFormReportRepo, type FormReportRepo } from './form-report-repo';

export interface FormRepos {
  outcomes: FormOutcomesRepo;
  report: FormReportRepo;
}

export function createFormRepos(db: Database): FormRepos {
  return { outcomes: createFormOutcomesRepo(db), report: createFormReportRepo(db) };
}
