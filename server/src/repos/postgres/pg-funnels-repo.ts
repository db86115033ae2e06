// Funnels on PostgreSQL: a name and an ordered list of steps (jsonb) per site.
import type { Funnel, FunnelStep } from '../../api-types';
import type { FunnelsRepo } from '../funnels-repo';
import type { Async } from '../maybe-async';
import { generateSiteId } from '../sites-repo';
import { statement, type Queryable } from './pg-statement';

interface FunnelRow {
  id: string;
  site_id: string;
  name: string;
  steps: FunnelStep[];
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, site_id, name, steps, created_at, updated_at';

const bySite = statement<[string], FunnelRow>('funnels_by_site', `SELECT ${COLUMNS} FROM funnels WHERE site_id = $1 ORDER BY created_at, id`);
const byId = statement<[string], FunnelRow>('funnels_by_id', `SELECT ${COLUMNS} FROM funnels WHERE id = $1`);
const insert = statement<[string, string, string, string, number], FunnelRow>(
  'funnels_insert',
  `INSERT INTO funnels (id, site_id, name, steps, created_at, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $5) RETURNING ${COLUMNS}`,
);
const update = statement<[string, string, string, number], FunnelRow>(
  'funnels_update',
  `UPDATE funnels SET name = $2, steps = $3::jsonb, updated_at = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
);
const remove = statement<[string]>('funnels_delete', 'DELETE FROM funnels WHERE id = $1');

const toFunnel = (row: FunnelRow): Funnel => ({
  id: row.id,
  siteId: row.site_id,
  name: row.name,
  steps: row.steps,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createPgFunnelsRepo(db: Queryable): Async<FunnelsRepo> {
  return {
    listBySite: async (siteId) => (await bySite.all(db, siteId)).map(toFunnel),
    async get(id) {
      const row = await byId.get(db, id);
      return row && toFunnel(row);
    },
    async create(siteId, input, now) {
      return toFunnel((await insert.get(db, generateSiteId(), siteId, input.name, JSON.stringify(input.steps), now))!);
    },
    async update(id, input, now) {
      const row = await update.get(db, id, input.name, JSON.stringify(input.steps), now);
      return row && toFunnel(row);
    },
    delete: async (id) => (await remove.run(db, id)).rowCount === 1,
  };
}
