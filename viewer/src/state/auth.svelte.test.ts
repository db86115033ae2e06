import { describe, expect, it } from 'vitest';
import { memoryStore } from '../lib/storage';
import { errorReply, fakeFetch } from '../testing/fake-fetch';
import { Auth, EXPIRED_NOTICE, REJECTED_TOKEN_MESSAGE, TOKEN_STORAGE_KEY } from './auth.svelte';

const GOOD = 'good-token';
const api = () =>
  fakeFetch((req) =>
    req.headers.Authorization === `Bearer ${GOOD}`
      ? { json: { sites: [] } }
      : errorReply(401, 'unauthorized', 'Missing or invalid admin token'),
  );

describe('Auth', () => {
  it('restores a stored token', () => {
    const auth = new Auth(memoryStore({ [TOKEN_STORAGE_KEY]: 'saved' }), api().fetch);
    expect(auth.token).toBe('saved');
    expect(auth.client).not.toBeNull();
  });

  it('keeps a token only after the API accepts it', async () => {
    const store = memoryStore();
    const fake = api();
    const auth = new Auth(store, fake.fetch);
    expect(auth.client).toBeNull();

    const pending = auth.signIn(`  ${GOOD}\n`);
    expect(auth.verifying).toBe(true);
    expect(await pending).toBe(true);

    expect(auth.verifying).toBe(false);
    expect(auth.token).toBe(GOOD);
    expect(store.getItem(TOKEN_STORAGE_KEY)).toBe(GOOD);
    expect(fake.requests[0]?.url).toBe('/api/sites');
    expect(auth.message).toBeNull();
  });

  it('explains a rejected token and stays signed out', async () => {
    const store = memoryStore();
    const auth = new Auth(store, api().fetch);

    expect(await auth.signIn('wrong')).toBe(false);

    expect(auth.token).toBeNull();
    expect(store.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.message).toEqual({ kind: 'error', text: REJECTED_TOKEN_MESSAGE });
  });

  it('reports an unreachable server differently from a bad token', async () => {
    const auth = new Auth(memoryStore(), fakeFetch(() => new TypeError('Failed to fetch')).fetch);
    expect(await auth.signIn(GOOD)).toBe(false);
    expect(auth.message?.text).toMatch(/^Could not reach the frictionlens server/);
  });

  it('asks for a token instead of sending an empty one', async () => {
    const fake = api();
    const auth = new Auth(memoryStore(), fake.fetch);
    expect(await auth.signIn('   ')).toBe(false);
    expect(auth.message).toEqual({ kind: 'error', text: 'Paste the admin token first.' });
    expect(fake.requests).toHaveLength(0);
  });

  it('signs out with a notice when any call answers 401', async () => {
    const store = memoryStore({ [TOKEN_STORAGE_KEY]: 'revoked' });
    const auth = new Auth(store, api().fetch);

    await expect(auth.client!.listSessions({ site: 's1' })).rejects.toMatchObject({ status: 401 });

    expect(auth.token).toBeNull();
    expect(auth.client).toBeNull();
    expect(store.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(auth.message).toEqual({ kind: 'notice', text: EXPIRED_NOTICE });
  });

  it('ignores a late 401 from a token that was already replaced', async () => {
    const auth = new Auth(memoryStore({ [TOKEN_STORAGE_KEY]: 'old' }), api().fetch);
    const oldClient = auth.client!;
    await auth.signIn(GOOD);

    await expect(oldClient.listSites()).rejects.toMatchObject({ status: 401 });

    expect(auth.token).toBe(GOOD);
  });

  it('signs out on request without a notice', () => {
    const store = memoryStore({ [TOKEN_STORAGE_KEY]: GOOD });
    const auth = new Auth(store, api().fetch);
    auth.signOut();
    expect(auth.token).toBeNull();
    expect(auth.message).toBeNull();
    expect(store.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });
});
