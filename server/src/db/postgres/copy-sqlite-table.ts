// Copies one table from SQLite into PostgreSQL in keyset-paged batches, each committed with its progress row.
import type { Database, Statement } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { CopyTable } from './sqlite-copy-tables';

/** The copy's own bookkeeping in the target: one row per table, dropped once the copy checks out. */
export const PROGRESS_TABLE = 'migrate_from_sqlite_progress';

export interface TableProgress {
  lastKey: unknown[] | null;
  copied: number;
  done: boolean;
}

export interface BatchLimits {
  /** Rows per INSERT. */
  rows: number;
  /** A batch ends early once its rows hold this many bytes of BLOB and text (chunk bodies). */
  bytes: number;
}

interface PostgresColumn {
  name: string;
  /** udt_name: int4, int8, text, bool, jsonb, bytea, float8… */
  type: string;
}

export interface TableCopier {
  /** Copies the next batch after `progress` and records it; the new progress (done when nothing was left). */
  copyBatch(progress: TableProgress): Promise<TableProgress>;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function postgresColumns(client: PoolClient, table: string): Promise<PostgresColumn[]> {
  const { rows } = await client.query<PostgresColumn>(
    `SELECT column_name AS name, udt_name AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

/** Turns a SQLite value into what the PostgreSQL column takes: 0/1 flags into booleans; the rest as they are. */
function converter(type: string): (value: unknown) => unknown {
  if (type === 'bool') return (value) => (value === null ? null : value !== 0 && value !== 0n);
  return (value) => value;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Buffer.isBuffer(value)) return value.length;
  return 8;
}

/**
 * Plans the table's two statements: a SQLite SELECT of the PostgreSQL columns in order, followed by
 * the key columns (k0, k1…), and one INSERT … SELECT FROM unnest($1::type[], …): one array parameter
 * a column whatever the batch size, so no statement nears PostgreSQL's 65,535-parameter limit.
 * JSON goes over as text and is cast to jsonb in the INSERT, so PostgreSQL checks it.
 */
export async function createTableCopier(
  sqlite: Database,
  client: PoolClient,
  table: CopyTable,
  limits: BatchLimits,
  source: string,
  withTriggersOff: boolean,
): Promise<TableCopier> {
  const columns = await postgresColumns(client, table.name);
  if (columns.length === 0) throw new Error(`PostgreSQL has no table ${table.name}`);
  const sqliteColumns = new Set(sqlite.prepare(`SELECT t.* FROM ${table.from} LIMIT 0`).columns().map((column) => column.name));
  const selectList = columns.map((column) => {
    const expression = table.derived?.[column.name] ?? (sqliteColumns.has(column.name) ? `t.${quote(column.name)}` : null);
    if (expression === null) throw new Error(`No SQLite source for ${table.name}.${column.name}`);
    return expression;
  });
  const keyList = table.key.map((key) => (key === 'rowid' ? 't.rowid' : `t.${quote(key)}`));
  const select = (after: boolean): Statement =>
    sqlite
      .prepare(
        `SELECT ${[...selectList, ...keyList.map((key, i) => `${key} AS k${i}`)].join(', ')} FROM ${table.from}
         ${after ? `WHERE (${keyList.join(', ')}) > (${keyList.map(() => '?').join(', ')})` : ''}
         ORDER BY ${keyList.join(', ')} LIMIT ?`,
      )
      .raw(true);
  const firstBatch = select(false);
  const nextBatch = select(true);
  const names = columns.map((column) => quote(column.name)).join(', ');
  // BLOB columns (chunk bodies) go over as one binary parameter holding every row's bytes, each row's
  // column holding its offset, and a lengths array beside: in a bytea[] each body would travel as hex
  // text, twice its size, and the insert took three times as long.
  const blobs = columns.flatMap((column, i) => (column.type === 'bytea' ? [i] : []));
  const blobParam = (k: number): number => columns.length + 1 + k;
  const lengthName = (i: number): string => quote(`${columns[i]!.name}__length`);
  const casts = columns.map((column, i) => {
    if (column.type === 'jsonb') return `u.${quote(column.name)}::jsonb`;
    if (column.type === 'bytea') return `substring($${blobParam(blobs.indexOf(i))}::bytea FROM u.${quote(column.name)} FOR u.${lengthName(i)})`;
    return `u.${quote(column.name)}`;
  });
  const arrays = [
    ...columns.map((column, i) => `$${i + 1}::${column.type === 'jsonb' ? 'text' : column.type === 'bytea' ? 'int4' : column.type}[]`),
    ...blobs.map((_, k) => `$${blobParam(blobs.length + k)}::int4[]`),
  ];
  const unnestNames = [...columns.map((column) => quote(column.name)), ...blobs.map(lengthName)].join(', ');
  const insert = `INSERT INTO ${quote(table.name)} (${names}) SELECT ${casts.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${unnestNames})`;
  const convert = columns.map((column) => converter(column.type));

  function readBatch(after: unknown[] | null): { rows: unknown[][]; full: boolean } {
    const statement = after === null ? firstBatch : nextBatch;
    const args = after === null ? [limits.rows] : [...after, limits.rows];
    const rows: unknown[][] = [];
    let bytes = 0;
    for (const row of statement.iterate(...args) as IterableIterator<unknown[]>) {
      rows.push(row);
      for (const value of row) bytes += sizeOf(value);
      // Leaving the loop early finishes the statement, so the next batch may run it again.
      if (bytes >= limits.bytes) return { rows, full: true };
    }
    return { rows, full: rows.length === limits.rows };
  }

  return {
    async copyBatch(progress) {
      const { rows, full } = readBatch(progress.lastKey);
      const lastKey = rows.length > 0 ? rows[rows.length - 1]!.slice(columns.length) : progress.lastKey;
      const next: TableProgress = { lastKey, copied: progress.copied + rows.length, done: !full };
      await client.query('BEGIN');
      try {
        // Deferred foreign keys are checked per statement instead: their pending checks would stop
        // ENABLE TRIGGER below, and every parent row is already in.
        await client.query('SET CONSTRAINTS ALL IMMEDIATE');
        if (rows.length > 0) {
          const params: unknown[] = columns.map((_, c) => rows.map((row) => convert[c]!(row[c])));
          for (const c of blobs) {
            const values = rows.map((row) => row[c] as Buffer | null);
            let offset = 1;
            params[c] = values.map((value) => {
              if (value === null) return null;
              const at = offset;
              offset += value.length;
              return at;
            });
            params.push(Buffer.concat(values.filter((value) => value !== null)));
          }
          for (const c of blobs) params.push(rows.map((row) => (row[c] === null ? null : (row[c] as Buffer).length)));
          // The triggers that keep aggregates would count these rows again: the aggregate tables are copied too.
          // Off in this transaction only, so a killed copy never leaves them off.
          if (withTriggersOff) await client.query(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`);
          await client.query(insert, params);
          if (withTriggersOff) await client.query(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER USER`);
        }
        await client.query(
          `INSERT INTO ${PROGRESS_TABLE} (table_name, source, last_key, copied, done) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (table_name) DO UPDATE SET last_key = excluded.last_key, copied = excluded.copied, done = excluded.done`,
          [table.name, source, JSON.stringify(next.lastKey), next.copied, next.done],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Copying ${table.name} after key ${JSON.stringify(progress.lastKey)} failed`, { cause: err });
      }
      return next;
    },
  };
}
