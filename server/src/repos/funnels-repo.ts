// Reads and writes funnels: a name and an ordered list of steps per site.
import type { Database } from 'better-sqlite3';
import type { Funnel, FunnelInput, FunnelStep } from '../api-types';
import { generateSiteId } from './sites-repo';

export interface FunnelsRepo {
  listBySite(siteId: string): Funnel[];
  get(id: string): Funnel | undefined;
  create(siteId: string, input: FunnelInput, now: number): Funnel;
  update(id: string, input: FunnelInput, now: number): Funnel | undefined;
  delete(id: string): boolean;
}

interface FunnelRow {
  id: string;
  site_id: string;
  name: string;
  steps: string;
  created_at: number;
  updated_at: number;
}

const toFunnel = (row: FunnelRow): Funnel => ({
  id: row.id,
  siteId: row.site_id,
  name: row.name,
  steps: JSON.parse(row.steps) as FunnelStep[],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createFunnelsRepo(db: Database): FunnelsRepo {
  const bySite = db.prepare<[string], FunnelRow>('SELECT * FROM funnels WHERE site_id = ? ORDER BY created_at, id');
  const byId = db.prepare<[string], FunnelRow>('SELECT * FROM funnels WHERE id = ?');
  const insert = db.prepare<[FunnelRow]>(
    'INSERT INTO funnels (id, site_id, name, steps, created_at, updated_at) VALUES (@id, @site_id, @name, @steps, @created_at, @updated_at)',
  );
  const update = db.prepare<[{ id: string; name: string; steps: string; now: number }], FunnelRow>(
    'UPDATE funnels SET name = @name, steps = @steps, updated_at = @now WHERE id = @id RETURNING *',
  );
  const remove = db.prepare<[string]>('DELETE FROM funnels WHERE id = ?');

  return {
    listBySite: (siteId) => bySite.all(siteId).map(toFunnel),
    get(id) {
      const row = byId.get(id);
      return row && toFunnel(row);
    },
    create(siteId, input, now) {
      const row: FunnelRow = { id: generateSiteId(), site_id: siteId, name: input.name, steps: JSON.stringify(input.steps), created_at: now, updated_at: now };
      insert.run(row);
      return toFunnel(row);
    },
    update(id, input, now) {
      const row = update.get({ id, name: input.name, steps: JSON.stringify(input.steps), now });
      return row && toFunnel(row);
    },
    delete: (id) => remove.run(id).changes === 1,
  };
}
