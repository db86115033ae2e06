// Copies the live database into a new file with SQLite's online backup API: a consistent snapshot while the server writes.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from './open-database';

export interface BackupResult {
  /** Pages copied (page size 4096). */
  pages: number;
  /** `PRAGMA integrity_check` of the copy: "ok" when sound. */
  integrity: string;
  sessions: number;
  batches: number;
}

/** Pages per backup step: all of them, so the copy is one read transaction (see below). */
const ALL_PAGES = 0x7fffffff;

/**
 * The backup API copies in steps and starts over when another connection writes between two
 * steps; under steady ingest a copy of many small steps might never finish. One step copies the
 * whole database inside one read transaction, which in WAL mode never blocks the server's writes:
 * the copy is the database as of that transaction's start. The copy's mode is the process umask's
 * (the backup command sets 0077: it holds recordings).
 */
export async function backupDatabase(sourcePath: string, destinationPath: string): Promise<BackupResult> {
  if (existsSync(destinationPath)) throw new Error(`${destinationPath} already exists; choose a new file name`);
  const source = new Database(sourcePath, { fileMustExist: true });
  let pages: number;
  try {
    source.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    ({ totalPages: pages } = await source.backup(destinationPath, { progress: () => ALL_PAGES }));
  } finally {
    source.close();
  }
  const copy = new Database(destinationPath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => copy.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      pages,
      integrity: copy.pragma('integrity_check', { simple: true }) as string,
      sessions: count('sessions'),
      batches: count('chunks'),
    };
  } finally {
    copy.close();
  }
}
