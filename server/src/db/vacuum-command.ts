// `npm run vacuum`: turns on auto_vacuum for a database created before it was the default, and gives its free pages back to the disk.
import { loadConfig } from '../config';
import { vacuumDatabase } from './vacuum-database';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
try {
  const { bytesBefore, bytesAfter, autoVacuum } = vacuumDatabase(loadConfig().dataDir);
  console.log(`vacuum: ${mb(bytesBefore)} before, ${mb(bytesAfter)} after; auto_vacuum ${autoVacuum === 2 ? 'incremental' : autoVacuum}`);
} catch (error) {
  console.error(`vacuum failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
