// `npm run migrate-to-postgres -- --from data/frictionlens.db [--to postgres://…]`: copies a SQLite installation into PostgreSQL.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToPostgres } from './migrate-to-postgres';

const USAGE = 'usage: npm run migrate-to-postgres -- --from data/frictionlens.db [--to postgres://user@host/db]   (or DATABASE_URL)';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, 'batch-rows': { type: 'string' } } });
const to = values.to ?? process.env.DATABASE_URL;
if (!values.from || !to) {
  console.error(USAGE);
  process.exit(2);
}
const batchRows = values['batch-rows'] === undefined ? undefined : Number(values['batch-rows']);
if (batchRows !== undefined && !(Number.isInteger(batchRows) && batchRows > 0)) {
  console.error(`--batch-rows must be a positive whole number\n${USAGE}`);
  process.exit(2);
}
// Ctrl-C stops after the batch in flight, which is committed with its progress; running again goes on.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
try {
  // npm runs scripts in the package's directory; the path is meant from where the command was typed.
  const from = resolve(process.env.INIT_CWD ?? process.cwd(), values.from);
  const result = await migrateToPostgres({ from, to, batchRows, signal: controller.signal });
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  console.error(`migrate-to-postgres failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause) console.error(error.cause);
  process.exit(1);
}
