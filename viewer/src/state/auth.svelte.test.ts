import { describe, expect, it } from 'vitest';
import { memoryStore } from '../lib/storage';
import { deferred, errorReply, fakeFetch, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { Auth, EXPIRED_NOTICE, LEGACY_TOKEN_STORAGE_KEY, REJECTED_TOKEN_MESSAGE } from './auth.svelte';

const GOOD = 'good-token';
const SESSION = { signedIn: true, via: 'cookie', expiresAt: 1 };
const unauthorized = () => errorReply(401, 'unauthorized', 'Not signed in');

/** A server whose cookie jar is one flag: signed in by a good token, out by DELETE. */
function server(signedIn = false, extra: (req: RecordedRequest) => FakeReply | Promise<FakeReply> | undefined = () => undefined) {
  let cookie = signedIn;
  return fakeFetch((req) => {
    if (req.url === '/api/auth/session') {
      if (req.method === 'POST') {
        if ((req.body as { token: string }).token !== GOOD) return unauthorized();
        cookie = true;
        return { status: 201, json: SESSION };
      }
      if (req.method === 'DELETE') {
        cookie = false;
        return { json: { signedIn: false } };
      }
      return cookie ? { json: SESSION } : unauthorized();
    }
    return extra(req) ?? (cookie ? { json: { sites: [] } } : errorReply(401, 'unauthorized', 'Your sign-in session has ended; sign in again'));
  });
}

describe('Auth', () => {
  it('is checking while it asks the server, then signed in when the cookie still is', async () => {
    const fake = server(true);
    const auth = new Auth(memoryStore(), fake.fetch);
    const restoring = auth.restore();
    expect(auth.status).toBe('checking');
    expect(auth.client).toBeNull();
    await restoring;
    expect(auth.status).toBe('signed-in');
    expect(auth.client).not.toBeNull();
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/auth/session']);
    expect(auth.message).toBeNull();
  });

  it('shows sign-in without a message when the cookie is missing or ended', async () => {
    const auth = new Auth(memoryStore(), server(false).fetch);
    await auth.restore();
    expect(auth.status).toBe('signed-out');
    expect(auth.message).toBeNull();
  });

  it('forgets a token an older viewer left in storage, and never sends it', async () => {
    const store = memoryStore({ [LEGACY_TOKEN_STORAGE_KEY]: GOOD });
    const fake = server(false);
    const auth = new Auth(store, fake.fetch);
    await auth.restore();
    expect(store.getItem(LEGACY_TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.status).toBe('signed-out');
    expect(JSON.stringify(fake.requests)).not.toContain(GOOD);
  });

  it('posts the token once and keeps it nowhere; later calls carry no credential', async () => {
    const store = memoryStore();
    const fake = server(false);
    const auth = new Auth(store, fake.fetch);
    await auth.restore();

    const pending = auth.signIn(`  ${GOOD}\n`);
    expect(auth.verifying).toBe(true);
    expect(await pending).toBe(true);
    expect(auth.verifying).toBe(false);
    expect(auth.status).toBe('signed-in');

    await auth.client!.listSites();
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/auth/session', 'POST /api/auth/session', 'GET /api/sites']);
    expect(fake.requests[1]?.body).toEqual({ token: GOOD });
    expect(fake.requests.filter((r) => JSON.stringify(r).includes(GOOD))).toHaveLength(1);
    expect(fake.requests.every((r) => r.headers.Authorization === undefined)).toBe(true);
    expect(JSON.stringify(auth)).not.toContain(GOOD);
    expect(store.getItem(LEGACY_TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('explains a rejected token and stays signed out', async () => {
    const auth = new Auth(memoryStore(), server(false).fetch);
    await auth.restore();
    expect(await auth.signIn('wrong')).toBe(false);
    expect(auth.client).toBeNull();
    expect(auth.message).toEqual({ kind: 'error', text: REJECTED_TOKEN_MESSAGE });
  });

  it('reports an unreachable server differently from a bad token, on load and at sign-in', async () => {
    const auth = new Auth(memoryStore(), fakeFetch(() => new TypeError('Failed to fetch')).fetch);
    await auth.restore();
    expect(auth.status).toBe('signed-out');
    expect(auth.message?.text).toMatch(/^Could not reach the frictionlens server/);
    expect(await auth.signIn(GOOD)).toBe(false);
    expect(auth.message?.text).toMatch(/^Could not reach the frictionlens server/);
  });

  it('asks for a token instead of sending an empty one', async () => {
    const fake = server(false);
    const auth = new Auth(memoryStore(), fake.fetch);
    expect(await auth.signIn('   ')).toBe(false);
    expect(auth.message).toEqual({ kind: 'error', text: 'Paste the admin token first.' });
    expect(fake.requests).toHaveLength(0);
  });

  it('returns to sign-in with a notice when any call answers 401', async () => {
    const auth = new Auth(memoryStore(), server(true, (req) => (req.url.startsWith('/api/sessions') ? unauthorized() : undefined)).fetch);
    await auth.restore();

    await expect(auth.client!.listSessions({ site: 's1' })).rejects.toMatchObject({ status: 401 });

    expect(auth.status).toBe('signed-out');
    expect(auth.client).toBeNull();
    expect(auth.message).toEqual({ kind: 'notice', text: EXPIRED_NOTICE });
  });

  it('ignores a late 401 from before the latest sign-in', async () => {
    const late = deferred<FakeReply>();
    const auth = new Auth(memoryStore(), server(true, (req) => (req.url === '/api/sites' ? late.promise : undefined)).fetch);
    await auth.restore();
    const oldClient = auth.client!;
    const oldCall = oldClient.listSites();
    await auth.signOut();
    await auth.signIn(GOOD);
    late.resolve(unauthorized());

    await expect(oldCall).rejects.toMatchObject({ status: 401 });
    expect(auth.status).toBe('signed-in');
    expect(auth.client).not.toBe(oldClient);
    expect(auth.message).toBeNull();
  });

  it('lets a sign-in link win over the check on load that answers after it', async () => {
    const check = deferred<FakeReply>();
    const fake = fakeFetch((req) => (req.method === 'GET' ? check.promise : { status: 201, json: SESSION }));
    const auth = new Auth(memoryStore(), fake.fetch);
    const restoring = auth.restore();
    expect(await auth.signIn(GOOD)).toBe(true);
    check.resolve(unauthorized());
    await restoring;
    expect(auth.status).toBe('signed-in');
  });

  it('signs out on the server, without a notice', async () => {
    const fake = server(true);
    const auth = new Auth(memoryStore(), fake.fetch);
    await auth.restore();
    await auth.signOut();
    expect(auth.status).toBe('signed-out');
    expect(auth.client).toBeNull();
    expect(auth.message).toBeNull();
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/auth/session' });
    await auth.restore();
    expect(auth.status).toBe('signed-out');
  });

  it('says so when the server could not be told of the sign-out', async () => {
    const auth = new Auth(memoryStore(), fakeFetch((req) => (req.method === 'DELETE' ? new TypeError('Failed to fetch') : { json: SESSION })).fetch);
    await auth.restore();
    await auth.signOut();
    expect(auth.status).toBe('signed-out');
    expect(auth.message?.kind).toBe('error');
    expect(auth.message?.text).toMatch(/^Signed out in this tab, but the server could not be told/);
  });
});
