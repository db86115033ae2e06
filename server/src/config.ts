// Reads the server's settings from the environment once, refusing bad values with a clear message.
import { resolve } from 'node:path';
import { SESSION_IDLE_TIMEOUT_MS } from '../../recorder/src/wire/format';

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST?.trim() || DEFAULT_HOST;
  return {
    port: parsePort(env.PORT),
    host,
    dataDir: resolve(env.DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    adminToken: parseAdminToken(env.ADMIN_TOKEN),
    sessionIdleTimeoutMs: parseIdleTimeout(env.SESSION_IDLE_TIMEOUT_MS),
  };
}
