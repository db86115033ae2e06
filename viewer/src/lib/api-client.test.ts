import { describe, expect, it, vi } from 'vitest';
import { errorReply, fakeFetch } from '../testing/fake-fetch';
import { ApiClient, ApiClientError } from './api-client';

const SITE = { id: 's1', name: 'demo', origins: ['self'], key: 'k1', createdAt: 1, urlPatterns: [] };

describe('ApiClient', () => {
  it('sends no credential of its own, only the same-origin cookie, and returns the parsed body', async () => {
    const fake = fakeFetch(() => ({ json: { sites: [SITE] } }));
    const client = new ApiClient({ fetch: fake.fetch });

    const result = await client.listSites();

    expect(result.sites[0]?.name).toBe('demo');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.method).toBe('GET');
    expect(fake.requests[0]?.url).toBe('/api/sites');
    expect(fake.requests[0]?.headers).toEqual({});
    expect(fake.requests[0]?.credentials).toBe('same-origin');
  });

  it('signs in, asks who is signed in and signs out at /api/auth/session', async () => {
    const fake = fakeFetch((req) => (req.method === 'DELETE' ? { json: { signedIn: false } } : { status: req.method === 'POST' ? 201 : 200, json: { signedIn: true, via: 'cookie', expiresAt: 1 } }));
    const client = new ApiClient({ fetch: fake.fetch });

    await client.startAuthSession('tok');
    await client.getAuthSession();
    await client.endAuthSession();

    expect(fake.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/api/auth/session', { token: 'tok' }],
      ['GET', '/api/auth/session', undefined],
      ['DELETE', '/api/auth/session', undefined],
    ]);
    expect(fake.requests.every((r) => r.headers.Authorization === undefined && r.credentials === 'same-origin')).toBe(true);
  });

  it('deletes a session, a user id\'s sessions, and sets the retention period, with ids encoded', async () => {
    const fake = fakeFetch(() => ({ json: {} }));
    const client = new ApiClient({ fetch: fake.fetch });

    await client.deleteSession('a/b');
    await client.deleteUserSessions('s 1', 'ann@example.com/x');
    await client.setRetentionDays('s1', 30);
    await client.setRetentionDays('s1', null);

    expect(fake.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['DELETE', '/api/sessions/a%2Fb', undefined],
      ['DELETE', '/api/sites/s%201/users/ann%40example.com%2Fx', undefined],
      ['PATCH', '/api/sites/s1', { retentionDays: 30 }],
      ['PATCH', '/api/sites/s1', { retentionDays: null }],
    ]);
  });

  it('builds the session list query with limit and cursor', async () => {
    const fake = fakeFetch(() => ({ json: { sessions: [], nextCursor: null } }));
    const client = new ApiClient({ fetch: fake.fetch });

    await client.listSessions({ site: 'site 1', limit: 25, before: 'cur/2' });
    await client.listSessions({ site: 's2', before: null });

    expect(fake.requests[0]?.url).toBe('/api/sessions?site=site+1&limit=25&before=cur%2F2');
    expect(fake.requests[1]?.url).toBe('/api/sessions?site=s2');
  });

  it('posts a new site as JSON', async () => {
    const fake = fakeFetch(() => ({ status: 201, json: { id: 'n1', key: 'nk' } }));
    const client = new ApiClient({ fetch: fake.fetch });

    const created = await client.createSite({ name: 'Shop', origins: ['https://shop.example'] });

    expect(created).toEqual({ id: 'n1', key: 'nk' });
    expect(fake.requests[0]?.method).toBe('POST');
    expect(fake.requests[0]?.headers['Content-Type']).toBe('application/json');
    expect(fake.requests[0]?.body).toEqual({ name: 'Shop', origins: ['https://shop.example'] });
  });

  it('encodes session ids in paths', async () => {
    const fake = fakeFetch(() => ({ json: { batches: [], nextFrom: null } }));
    await new ApiClient({ fetch: fake.fetch }).listSessionBatches('a/b');
    expect(fake.requests[0]?.url).toBe('/api/sessions/a%2Fb/batches');
  });

  it('throws a 401 as unauthorized and tells the onUnauthorized hook', async () => {
    const onUnauthorized = vi.fn();
    const fake = fakeFetch(() => errorReply(401, 'unauthorized', 'Missing or invalid admin token'));
    const client = new ApiClient({ fetch: fake.fetch, onUnauthorized });

    const error = await client.listSites().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Missing or invalid admin token' });
    expect((error as ApiClientError).isUnauthorized).toBe(true);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reads code and message from an error body', async () => {
    const onUnauthorized = vi.fn();
    const fake = fakeFetch(() => errorReply(400, 'invalid_request', 'origins[0] must be an origin like https://shop.example'));
    const client = new ApiClient({ fetch: fake.fetch, onUnauthorized });

    await expect(client.createSite({ name: 'x', origins: ['nope'] })).rejects.toMatchObject({
      name: 'ApiClientError',
      status: 400,
      code: 'invalid_request',
      message: 'origins[0] must be an origin like https://shop.example',
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('falls back to the status when the error body is not JSON', async () => {
    const fake = fakeFetch(() => ({ status: 502, text: '<html>Bad gateway</html>' }));
    const client = new ApiClient({ fetch: fake.fetch });

    await expect(client.getSession('abcdefgh')).rejects.toMatchObject({
      status: 502,
      code: 'internal',
      message: 'The server answered 502.',
    });
  });

  it('maps a non-JSON 404 to not_found', async () => {
    const fake = fakeFetch(() => ({ status: 404, text: 'Not Found' }));
    await expect(new ApiClient({ fetch: fake.fetch }).getSession('x')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('turns a network failure into network_error with status 0', async () => {
    const fake = fakeFetch(() => new TypeError('Failed to fetch'));
    const client = new ApiClient({ fetch: fake.fetch });

    const error = await client.listSites().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ status: 0, code: 'network_error' });
    expect((error as Error).message).toContain('Failed to fetch');
  });

  it('rejects a success response that is not JSON', async () => {
    const fake = fakeFetch(() => ({ status: 200, text: 'hello' }));
    await expect(new ApiClient({ fetch: fake.fetch }).listSites()).rejects.toMatchObject({
      status: 200,
      code: 'invalid_response',
    });
  });
});
