// `npm run backup -- PATH`: writes a consistent copy of DATA_DIR's database to PATH, safe while the server runs.
import { resolve } from 'node:path';
import { loadConfig } from '../config';
import { backupDatabase } from './backup-database';
import { databasePath } from './open-database';

const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- PATH   (DATA_DIR selects the database, ./data by default)');
  process.exit(2);
}
// The copy holds every recording: readable by this user only, like the database itself.
process.umask(0o077);
const source = databasePath(loadConfig().dataDir);
// npm runs scripts in the package's directory; PATH is meant from where the command was typed.
const destination = resolve(process.env.INIT_CWD ?? process.cwd(), target);
try {
  const result = await backupDatabase(source, destination);
  if (result.integrity !== 'ok') throw new Error(`the copy failed its integrity check: ${result.integrity}`);
  console.log(`backup: ${source} copied to ${destination}: ${result.pages} pages, ${result.sessions} sessions, ${result.batches} batches; integrity ok`);
} catch (error) {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
