// Conversion goals on PostgreSQL; a definition change bumps the version in the same statement, as on SQLite.
import type { GoalDefinition } from '../../api-types';
import { generateSiteId } from '../sites-repo';
import { definitionColumns, toGoal, type GoalRow, type GoalsRepo } from '../goals-repo';
import type { Async } from '../maybe-async';
import { statement, type Queryable } from './pg-statement';

type DefinitionColumns = [kind: string, urlPattern: string | null, eventName: string | null, formSelector: string | null];

const COLUMNS = 'id, site_id, name, kind, url_pattern, event_name, form_selector, version, created_at, updated_at';

const bySite = statement<[string], GoalRow>('goals_by_site', `SELECT ${COLUMNS} FROM goals WHERE site_id = $1 ORDER BY created_at, id`);
// Goal ids are unique across sites (random, like site ids); the API names a goal by its id alone.
const byId = statement<[string], GoalRow>('goals_by_id', `SELECT ${COLUMNS} FROM goals WHERE id = $1`);
const insert = statement<[string, string, string, ...DefinitionColumns, number], GoalRow>(
  'goals_insert',
  `INSERT INTO goals (id, site_id, name, kind, url_pattern, event_name, form_selector, version, created_at, updated_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING ${COLUMNS}`,
);
const update = statement<[string, string, ...DefinitionColumns, number], GoalRow & { before_version: number }>(
  'goals_update',
  `UPDATE goals g SET name = $2, kind = $3, url_pattern = $4, event_name = $5, form_selector = $6,
     version = g.version + CASE WHEN (g.kind, g.url_pattern, g.event_name, g.form_selector) IS DISTINCT FROM ($3::text, $4::text, $5::text, $6::text) THEN 1 ELSE 0 END,
     updated_at = $7
   FROM goals old WHERE g.id = $1 AND old.site_id = g.site_id AND old.id = g.id
   RETURNING ${COLUMNS.split(', ').map((column) => `g.${column}`).join(', ')}, old.version AS before_version`,
);
const remove = statement<[string]>('goals_delete', 'DELETE FROM goals WHERE id = $1');

/** The definition's columns in the order the statements bind them. */
function columns(input: GoalDefinition): DefinitionColumns {
  const c = definitionColumns(input);
  return [c.kind, c.url_pattern, c.event_name, c.form_selector];
}

export function createPgGoalsRepo(db: Queryable): Async<GoalsRepo> {
  return {
    listBySite: async (siteId) => (await bySite.all(db, siteId)).map(toGoal),
    async get(id) {
      const row = await byId.get(db, id);
      return row && toGoal(row);
    },
    async create(siteId, input, now) {
      return toGoal((await insert.get(db, generateSiteId(), siteId, input.name, ...columns(input), now))!);
    },
    async update(id, input, now) {
      const row = await update.get(db, id, input.name, ...columns(input), now);
      return row && { goal: toGoal(row), definitionChanged: row.version !== row.before_version };
    },
    delete: async (id) => (await remove.run(db, id)).rowCount === 1,
  };
}
