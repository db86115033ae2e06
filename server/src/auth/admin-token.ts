// Finds the admin token: ADMIN_TOKEN, else DATA_DIR/admin-token, else a new one written there and shown once.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_TOKEN_FILE_NAME = 'admin-token';
const ADMIN_TOKEN_BYTES = 32;

export interface ResolveAdminTokenOptions {
  /** From ADMIN_TOKEN; wins over the file. */
  envToken: string | undefined;
  dataDir: string;
  /** Used only in the sign-in link printed for a new token. */
  port: number;
  log?: (line: string) => void;
}

export type AdminTokenSource = 'env' | 'file' | 'generated';

export function signInUrl(port: number, token: string): string {
  // The viewer reads the token from the fragment, which browsers never send to the server or in Referer.
  return `http://localhost:${port}/#token=${token}`;
}

function readTokenFile(path: string): string | undefined {
  try {
    const token = readFileSync(path, 'utf8').trim();
    return token === '' ? undefined : token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function resolveAdminToken(options: ResolveAdminTokenOptions): { token: string; source: AdminTokenSource } {
  const log = options.log ?? ((line) => console.log(line));
  if (options.envToken) return { token: options.envToken, source: 'env' };
  const path = join(options.dataDir, ADMIN_TOKEN_FILE_NAME);
  const existing = readTokenFile(path);
  if (existing) return { token: existing, source: 'file' };

  const token = randomBytes(ADMIN_TOKEN_BYTES).toString('base64url');
  // 'wx' fails rather than overwrite a token another process wrote a moment ago.
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  log(`Admin token created and saved to ${path} (shown only this once).`);
  log(`Sign in: ${signInUrl(options.port, token)}`);
  return { token, source: 'generated' };
}
