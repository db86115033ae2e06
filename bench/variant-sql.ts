// Reads a SQL file to run over a migrated PostgreSQL database as a "before" variant: a migration's function definitions replace the current ones.
import { readFileSync } from 'node:fs';

/**
 * A migration's `CREATE FUNCTION` fails where its function exists already, so each becomes
 * `CREATE OR REPLACE FUNCTION`: a migration file that defines functions only (010's store_batches)
 * serves as a variant as it stands, with no copy to keep in step.
 */
export function readVariantSql(path: string): string {
  return readFileSync(path, 'utf8').replace(/\bCREATE FUNCTION\b/g, 'CREATE OR REPLACE FUNCTION');
}
