import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toEqual({ port: 8787, host: '0.0.0.0', dataDir: resolve('./data'), adminToken: undefined });
  });

  it('reads every variable', () => {
    const config = loadConfig({ PORT: '9000', HOST: '127.0.0.1', DATA_DIR: '/tmp/fl', ADMIN_TOKEN: 'a'.repeat(20) });
    expect(config).toEqual({ port: 9000, host: '127.0.0.1', dataDir: '/tmp/fl', adminToken: 'a'.repeat(20) });
  });

  it.each(['abc', '0', '65536', '80.5', '-1', '8787x'])('refuses PORT=%s with a clear message', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT must be an integer from 1 to 65535/);
  });

  it('refuses a short ADMIN_TOKEN', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 16/);
  });
});
