import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 8787,
      host: '0.0.0.0',
      dataDir: resolve('./data'),
      adminToken: undefined,
      sessionIdleTimeoutMs: 1_800_000,
      busyTimeoutMs: 5000,
      demoSite: true,
      trustProxy: false,
      ingestLimits: { sitePerSecond: 2000, addressPerSecond: 50, sessionsPerSiteHour: 20_000 },
      databaseUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      DATA_DIR: '/tmp/fl',
      ADMIN_TOKEN: 'a'.repeat(20),
      SESSION_IDLE_TIMEOUT_MS: '5000',
      SQLITE_BUSY_TIMEOUT_MS: '250',
      DEMO_SITE: 'off',
      TRUST_PROXY: 'on',
      INGEST_RATE_PER_SITE: '100',
      INGEST_RATE_PER_ADDRESS: '10',
      MAX_SESSIONS_PER_SITE_PER_HOUR: '500',
      DATABASE_URL: 'postgres://fl@db.internal:5432/frictionlens',
    });
    expect(config).toEqual({
      port: 9000,
      host: '127.0.0.1',
      dataDir: '/tmp/fl',
      adminToken: 'a'.repeat(20),
      sessionIdleTimeoutMs: 5000,
      busyTimeoutMs: 250,
      demoSite: false,
      trustProxy: true,
      ingestLimits: { sitePerSecond: 100, addressPerSecond: 10, sessionsPerSiteHour: 500 },
      databaseUrl: 'postgres://fl@db.internal:5432/frictionlens',
    });
  });

  it.each([
    ['DEMO_SITE', 'maybe', /DEMO_SITE must be on or off/],
    ['TRUST_PROXY', '2', /TRUST_PROXY must be on or off/],
    ['SQLITE_BUSY_TIMEOUT_MS', '-1', /SQLITE_BUSY_TIMEOUT_MS must be a whole number/],
    ['INGEST_RATE_PER_SITE', '0', /INGEST_RATE_PER_SITE must be a whole number, at least 1/],
    ['INGEST_RATE_PER_ADDRESS', '1.5', /INGEST_RATE_PER_ADDRESS must be a whole number/],
    ['MAX_SESSIONS_PER_SITE_PER_HOUR', 'lots', /MAX_SESSIONS_PER_SITE_PER_HOUR must be a whole number/],
    ['DATABASE_URL', 'mysql://db/fl', /DATABASE_URL must be a postgres:\/\/ URL, got one starting mysql:/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL must be a postgres:\/\/ URL/],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each(['abc', '0', '65536', '80.5', '-1', '8787x'])('refuses PORT=%s with a clear message', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT must be an integer from 1 to 65535/);
  });

  it.each(['soon', '999', '1.5e3'])('refuses SESSION_IDLE_TIMEOUT_MS=%s', (value) => {
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT_MS: value })).toThrow(/SESSION_IDLE_TIMEOUT_MS must be a whole number/);
  });

  it('refuses a short ADMIN_TOKEN', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 16/);
  });
});
