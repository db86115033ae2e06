// Compares a finished copy with its SQLite source: every table's row count, and the chunk bodies' bytes and digest.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { CopyTable } from './sqlite-copy-tables';

export interface CopyCheck {
  /** A table name, or "chunks bytes" / "chunks digest" for the body checks. */
  name: string;
  sqlite: string;
  postgres: string;
  ok: boolean;
}

/**
 * An order-free digest of every body, the same on both sides: the XOR of the first 64 bits of each
 * body's MD5, as a signed bigint (PostgreSQL's bigint). Order-free so neither side sorts (the two
 * would sort text differently); a lost or doubled row already shows in the count.
 */
function sqliteChunkDigest(sqlite: Database): { bytes: bigint; digest: bigint } {
  let bytes = 0n;
  let digest = 0n;
  for (const body of sqlite.prepare('SELECT body FROM chunks').pluck().iterate() as IterableIterator<Buffer>) {
    bytes += BigInt(body.length);
    digest ^= createHash('md5').update(body).digest().readBigInt64BE(0);
  }
  return { bytes, digest };
}

async function postgresChunkDigest(client: PoolClient): Promise<{ bytes: bigint; digest: bigint }> {
  const { rows } = await client.query<{ bytes: string; digest: string }>(
    `SELECT coalesce(sum(length(body)), 0)::text AS bytes,
            coalesce(bit_xor(('x' || substr(md5(body), 1, 16))::bit(64)::bigint), 0)::text AS digest
     FROM chunks`,
  );
  return { bytes: BigInt(rows[0]!.bytes), digest: BigInt(rows[0]!.digest) };
}

/** Reads SQLite within the caller's read transaction, so the counts are of the snapshot that was copied. */
export async function verifySqliteCopy(sqlite: Database, client: PoolClient, tables: CopyTable[]): Promise<CopyCheck[]> {
  const checks: CopyCheck[] = [];
  for (const table of tables) {
    const expected = sqlite.prepare(`SELECT count(*) FROM ${table.countFrom ?? table.name}`).pluck().get() as number;
    const { rows } = await client.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table.name}`);
    const actual = rows[0]!.count;
    checks.push({ name: table.name, sqlite: String(expected), postgres: actual, ok: String(expected) === actual });
  }
  const source = sqliteChunkDigest(sqlite);
  const target = await postgresChunkDigest(client);
  checks.push({ name: 'chunks bytes', sqlite: String(source.bytes), postgres: String(target.bytes), ok: source.bytes === target.bytes });
  checks.push({ name: 'chunks digest', sqlite: String(source.digest), postgres: String(target.digest), ok: source.digest === target.digest });
  return checks;
}

/** A plain-text table, one check a line, mismatches marked. */
export function formatCopyChecks(checks: CopyCheck[]): string {
  const header = { name: 'table', sqlite: 'sqlite', postgres: 'postgres', mark: '' };
  const lines = [header, ...checks.map((c) => ({ name: c.name, sqlite: c.sqlite, postgres: c.postgres, mark: c.ok ? 'ok' : 'MISMATCH' }))];
  const width = (key: 'name' | 'sqlite' | 'postgres') => Math.max(...lines.map((line) => line[key].length));
  const [nameWidth, sqliteWidth, postgresWidth] = [width('name'), width('sqlite'), width('postgres')];
  return lines
    .map((line) => `${line.name.padEnd(nameWidth)}  ${line.sqlite.padStart(sqliteWidth)}  ${line.postgres.padStart(postgresWidth)}  ${line.mark}`.trimEnd())
    .join('\n');
}
