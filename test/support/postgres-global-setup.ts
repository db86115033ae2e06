// Vitest global setup: one PostgreSQL cluster for the whole run, with the migrated template, instead of one per test file.
import type { TestProject } from 'vitest/node';
import { createMigratedTemplate } from './shared-postgres';
import { postgresAvailable, startPostgres } from './start-postgres';

/**
 * Two workers' pools at once: a test file's pools (up to 10 connections each for the app, 4 per
 * test database) and the concurrency tests' extra connections, with room to spare.
 */
const SHARED_MAX_CONNECTIONS = 120;

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // Off by choice, or nothing to start: every file that wants PostgreSQL starts a cluster of its own, or skips.
  if (process.env.FL_SHARED_POSTGRES === 'off' || !postgresAvailable()) {
    project.provide('sharedPostgresUrl', '');
    return undefined;
  }
  const server = await startPostgres({ maxConnections: SHARED_MAX_CONNECTIONS });
  try {
    await createMigratedTemplate(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide('sharedPostgresUrl', server.url);
  return () => server.stop();
}
