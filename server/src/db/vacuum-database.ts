// Rewrites a database file without its free pages and with auto_vacuum INCREMENTAL, so that space freed later goes back to the disk.
import { statSync } from 'node:fs';
import { databasePath, openDatabase } from './open-database';

export interface VacuumResult {
  bytesBefore: number;
  bytesAfter: number;
  /** PRAGMA auto_vacuum after the rewrite: 2 (INCREMENTAL). */
  autoVacuum: number;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * VACUUM holds the write lock while it copies the whole database (and needs as much free disk
 * again): ingest answers 503 meanwhile and recorders retry, so run it when traffic is low or with
 * the server stopped. It is needed once, for a database created before auto_vacuum was on.
 */
export function vacuumDatabase(dataDir: string): VacuumResult {
  const path = databasePath(dataDir);
  const db = openDatabase(dataDir);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytesBefore = fileBytes(path);
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { bytesBefore, bytesAfter: fileBytes(path), autoVacuum: db.pragma('auto_vacuum', { simple: true }) as number };
  } finally {
    db.close();
  }
}
