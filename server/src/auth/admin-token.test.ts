import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAdminToken } from './admin-token';

let dataDir: string;
let lines: string[];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'fl-token-'));
  lines = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
const log = (line: string) => lines.push(line);

describe('resolveAdminToken', () => {
  it('prefers ADMIN_TOKEN and writes nothing', () => {
    expect(resolveAdminToken({ envToken: 'from-env-0123456789', dataDir, port: 8787, log })).toEqual({ token: 'from-env-0123456789', source: 'env' });
    expect(() => statSync(join(dataDir, 'admin-token'))).toThrow();
    expect(lines).toEqual([]);
  });

  it('generates a 32-byte token once, saved with mode 0600, and prints a sign-in link', () => {
    const first = resolveAdminToken({ envToken: undefined, dataDir, port: 9000, log });
    expect(first.source).toBe('generated');
    expect(Buffer.from(first.token, 'base64url')).toHaveLength(32);
    const file = join(dataDir, 'admin-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain(`http://localhost:9000/#token=${first.token}`);

    lines = [];
    const second = resolveAdminToken({ envToken: undefined, dataDir, port: 9000, log });
    expect(second).toEqual({ token: first.token, source: 'file' });
    expect(lines).toEqual([]);
  });

  it('reads a token written by hand, ignoring the trailing newline', () => {
    writeFileSync(join(dataDir, 'admin-token'), 'hand-written-token-123\n');
    expect(resolveAdminToken({ envToken: undefined, dataDir, port: 8787, log }).token).toBe('hand-written-token-123');
  });
});
