// Reads the server's settings from the environment once, refusing bad values with a clear message.
import { resolve } from 'node:path';
import { SESSION_IDLE_TIMEOUT_MS } from '../../recorder/src/wire/format';
import { BUSY_TIMEOUT_MS } from './db/open-database';
import { DEFAULT_INGEST_LIMITS, type IngestLimitsConfig } from './limits/ingest-limits';

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the directory holding the database and the admin token file. */
  dataDir: string;
  /** Set when ADMIN_TOKEN is given; otherwise the token comes from DATA_DIR/admin-token. */
  adminToken: string | undefined;
  /**
   * A session that has received nothing for this long has ended: the analysis pass judges its open
   * pages as complete (form abandonment needs that). The recorder's own timeout by default.
   */
  sessionIdleTimeoutMs: number;
  /** How long a write waits for another connection's lock before ingest answers 503. */
  busyTimeoutMs: number;
  /** Whether the demo shop and its site are served (DEMO_SITE=off turns them off). */
  demoSite: boolean;
  /** Client addresses for rate limits come from X-Forwarded-For, set by one proxy in front. */
  trustProxy: boolean;
  ingestLimits: IngestLimitsConfig;
  /** DATABASE_URL: the server runs on this PostgreSQL database instead of SQLite in dataDir. */
  databaseUrl: string | undefined;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_DATA_DIR = './data';
/** Shorter tokens are guessable; the generated one is 32 random bytes. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PORT;
  const text = raw.trim();
  const port = Number(text);
  // 0 would mean "any free port", which the startup URLs could not name.
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function parseAdminToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(raw)) {
    throw new ConfigError(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters with no spaces`);
  }
  return raw;
}

function parseIdleTimeout(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return SESSION_IDLE_TIMEOUT_MS;
  const text = raw.trim();
  if (!/^\d+$/.test(text) || Number(text) < 1000) {
    throw new ConfigError(`SESSION_IDLE_TIMEOUT_MS must be a whole number of milliseconds, at least 1000, got "${raw}"`);
  }
  return Number(text);
}

function parseWholeNumber(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim();
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`${name} must be a whole number, at least ${min}, got "${raw}"`);
  }
  return Number(text);
}

function parseSwitch(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  const text = raw.trim().toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(text)) return true;
  if (['off', 'false', '0', 'no'].includes(text)) return false;
  throw new ConfigError(`${name} must be on or off, got "${raw}"`);
}

/** postgres:// or postgresql://, as libpq and node-postgres take them; anything else is refused, not tried. */
function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got one starting ${url.protocol}//`);
  }
  return text;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST?.trim() || DEFAULT_HOST;
  return {
    port: parsePort(env.PORT),
    host,
    dataDir: resolve(env.DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    adminToken: parseAdminToken(env.ADMIN_TOKEN),
    sessionIdleTimeoutMs: parseIdleTimeout(env.SESSION_IDLE_TIMEOUT_MS),
    busyTimeoutMs: parseWholeNumber('SQLITE_BUSY_TIMEOUT_MS', env.SQLITE_BUSY_TIMEOUT_MS, BUSY_TIMEOUT_MS, 0),
    demoSite: parseSwitch('DEMO_SITE', env.DEMO_SITE, true),
    trustProxy: parseSwitch('TRUST_PROXY', env.TRUST_PROXY, false),
    ingestLimits: {
      sitePerSecond: parseWholeNumber('INGEST_RATE_PER_SITE', env.INGEST_RATE_PER_SITE, DEFAULT_INGEST_LIMITS.sitePerSecond, 1),
      addressPerSecond: parseWholeNumber('INGEST_RATE_PER_ADDRESS', env.INGEST_RATE_PER_ADDRESS, DEFAULT_INGEST_LIMITS.addressPerSecond, 1),
      sessionsPerSiteHour: parseWholeNumber('MAX_SESSIONS_PER_SITE_PER_HOUR', env.MAX_SESSIONS_PER_SITE_PER_HOUR, DEFAULT_INGEST_LIMITS.sessionsPerSiteHour, 1),
    },
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
  };
}
