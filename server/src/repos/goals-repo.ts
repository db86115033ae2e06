// Reads and writes conversion goals; a definition change bumps the goal's version in the same statement.
import type { Database } from 'better-sqlite3';
import type { Goal, GoalDefinition, GoalInput } from '../api-types';
import { generateSiteId } from './sites-repo';

/** A goal as the analysis pass and the goal jobs read it. */
export interface StoredGoal {
  id: string;
  siteId: string;
  name: string;
  version: number;
  definition: GoalDefinition;
  createdAt: number;
  updatedAt: number;
}

export interface GoalsRepo {
  listBySite(siteId: string): StoredGoal[];
  get(id: string): StoredGoal | undefined;
  create(siteId: string, input: GoalInput, now: number): StoredGoal;
  /** Saves the input; the version goes up only when the definition (not the name) changed. Undefined when there is no such goal. */
  update(id: string, input: GoalInput, now: number): { goal: StoredGoal; definitionChanged: boolean } | undefined;
  delete(id: string): boolean;
}

/** A goals row as both backends return it. */
export interface GoalRow {
  id: string;
  site_id: string;
  name: string;
  kind: GoalDefinition['kind'];
  url_pattern: string | null;
  event_name: string | null;
  form_selector: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

function toDefinition(row: Pick<GoalRow, 'kind' | 'url_pattern' | 'event_name' | 'form_selector'>): GoalDefinition {
  if (row.kind === 'page') return { kind: 'page', pattern: row.url_pattern! };
  if (row.kind === 'event') return { kind: 'event', event: row.event_name! };
  return { kind: 'form', pattern: row.url_pattern!, selector: row.form_selector! };
}

/** A definition as the goals table's columns. */
export function definitionColumns(input: GoalDefinition) {
  return {
    kind: input.kind,
    url_pattern: input.kind === 'event' ? null : input.pattern,
    event_name: input.kind === 'event' ? input.event : null,
    form_selector: input.kind === 'form' ? input.selector : null,
  };
}

export const toGoal = (row: GoalRow): StoredGoal => ({
  id: row.id,
  siteId: row.site_id,
  name: row.name,
  version: row.version,
  definition: toDefinition(row),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The API's shape of a goal; `job` is added by the caller. */
export function goalBody(goal: StoredGoal): Omit<Goal, 'job'> {
  return { id: goal.id, siteId: goal.siteId, name: goal.name, ...goal.definition, createdAt: goal.createdAt, updatedAt: goal.updatedAt } as Omit<Goal, 'job'>;
}

export function createGoalsRepo(db: Database): GoalsRepo {
  const bySite = db.prepare<[string], GoalRow>('SELECT * FROM goals WHERE site_id = ? ORDER BY created_at, id');
  const byId = db.prepare<[string], GoalRow>('SELECT * FROM goals WHERE id = ?');
  const insert = db.prepare<[GoalRow]>(
    `INSERT INTO goals (id, site_id, name, kind, url_pattern, event_name, form_selector, version, created_at, updated_at)
     VALUES (@id, @site_id, @name, @kind, @url_pattern, @event_name, @form_selector, @version, @created_at, @updated_at)`,
  );
  const update = db.prepare<[Omit<GoalRow, 'site_id' | 'version' | 'created_at'>], GoalRow>(
    `UPDATE goals SET name = @name, kind = @kind, url_pattern = @url_pattern, event_name = @event_name, form_selector = @form_selector,
       version = version + (kind IS NOT @kind OR url_pattern IS NOT @url_pattern OR event_name IS NOT @event_name OR form_selector IS NOT @form_selector),
       updated_at = @updated_at
     WHERE id = @id RETURNING *`,
  );
  const remove = db.prepare<[string]>('DELETE FROM goals WHERE id = ?');

  return {
    listBySite: (siteId) => bySite.all(siteId).map(toGoal),
    get(id) {
      const row = byId.get(id);
      return row && toGoal(row);
    },
    create(siteId, input, now) {
      const row: GoalRow = { id: generateSiteId(), site_id: siteId, name: input.name, ...definitionColumns(input), version: 1, created_at: now, updated_at: now };
      insert.run(row);
      return toGoal(row);
    },
    update(id, input, now) {
      const before = byId.get(id);
      if (!before) return undefined;
      const row = update.get({ id, name: input.name, ...definitionColumns(input), updated_at: now })!;
      return { goal: toGoal(row), definitionChanged: row.version !== before.version };
    },
    delete: (id) => remove.run(id).changes === 1,
  };
}
