// @vitest-environment jsdom
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { EXPIRED_NOTICE, LEGACY_TOKEN_STORAGE_KEY, REJECTED_TOKEN_MESSAGE } from './state/auth.svelte';
import { deferred, errorReply, fakeFetch, type FakeReply, type RecordedRequest } from './testing/fake-fetch';
import { TEST_SITE } from './testing/render-list-views';

let app: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = '';
  localStorage.clear();
  vi.unstubAllGlobals();
});

const GOOD = 'good-token';
const SESSION = { signedIn: true, via: 'cookie', expiresAt: 1 };
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => text(b) === name) ?? null;

/** The server as the viewer sees it: a cookie jar of one flag, and `sessions` answering the session list. */
function start({ signedIn = false, check, sessions = () => ({ json: { sessions: [], nextCursor: null } }), hash = '#/' }: {
  signedIn?: boolean;
  check?: Promise<FakeReply>;
  sessions?: () => FakeReply;
  hash?: string;
} = {}) {
  let cookie = signedIn;
  const fake = fakeFetch((req: RecordedRequest) => {
    const url = new URL(req.url, 'http://viewer.test');
    if (url.pathname === '/api/auth/session') {
      if (req.method === 'GET') return check ?? (cookie ? { json: SESSION } : errorReply(401, 'unauthorized', 'Not signed in'));
      if (req.method === 'DELETE') {
        cookie = false;
        return { json: { signedIn: false } };
      }
      if ((req.body as { token: string }).token !== GOOD) return errorReply(401, 'unauthorized', 'Invalid admin token');
      cookie = true;
      return { status: 201, json: SESSION };
    }
    if (!cookie) return errorReply(401, 'unauthorized', 'Sign in');
    if (url.pathname === '/api/sites') return { json: { sites: [TEST_SITE] } };
    if (url.pathname === '/api/sessions') return sessions();
    return errorReply(404, 'not_found', 'none');
  });
  vi.stubGlobal('fetch', fake.fetch);
  window.location.hash = hash;
  const target = document.createElement('div');
  document.body.append(target);
  app = mount(App, { target });
  flushSync();
  return { target, requests: fake.requests };
}

function signInWith(token: string): void {
  const input = document.querySelector<HTMLInputElement>('#token')!;
  expect(text(document.querySelector('label[for="token"]'))).toBe('Admin token');
  input.value = token;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
  document.querySelector('form')!.requestSubmit();
  flushSync();
}

describe('signing in to the viewer', () => {
  it('says it is checking while it asks the server, then shows the sign-in form', async () => {
    const check = deferred<FakeReply>();
    const { target } = start({ check: check.promise });
    expect(text(target.querySelector('[role="status"]'))).toBe('Checking whether you are signed in…');
    expect(target.querySelector('form')).toBeNull();
    check.resolve(errorReply(401, 'unauthorized', 'Not signed in'));
    await vi.waitFor(() => expect(target.querySelector('h1')?.textContent).toBe('Sign in'));
    // No message for someone who simply is not signed in yet.
    expect(target.querySelector('.message')).toBeNull();
  });

  it('opens the sessions straight away when the cookie still signs in, and forgets a token an older viewer stored', async () => {
    localStorage.setItem(LEGACY_TOKEN_STORAGE_KEY, GOOD);
    const { target, requests } = start({ signedIn: true });
    await vi.waitFor(() => expect(target.querySelector('nav[aria-label="Main"]')).not.toBeNull());
    expect(localStorage.getItem(LEGACY_TOKEN_STORAGE_KEY)).toBeNull();
    expect(JSON.stringify(requests)).not.toContain(GOOD);
  });

  it('explains a rejected token, then signs in with the right one and keeps it nowhere', async () => {
    const { target, requests } = start();
    await vi.waitFor(() => expect(target.querySelector('#token')).not.toBeNull());

    signInWith('wrong');
    await vi.waitFor(() => expect(text(target.querySelector('[role="alert"]'))).toBe(REJECTED_TOKEN_MESSAGE));
    expect(target.querySelector('nav[aria-label="Main"]')).toBeNull();

    signInWith(GOOD);
    expect(button('Checking…')?.disabled).toBe(true);
    await vi.waitFor(() => expect(target.querySelector('nav[aria-label="Main"]')).not.toBeNull());
    await vi.waitFor(() => expect(text(target)).toContain('No sessions recorded for Shop yet'));
    expect(Object.values({ ...localStorage }).join(' ')).not.toContain(GOOD);
    expect(requests.filter((r) => JSON.stringify(r.body ?? '').includes(GOOD))).toHaveLength(1);
    expect(requests.every((r) => r.headers.Authorization === undefined)).toBe(true);
  });

  it('signs in from a sign-in link without asking first (no 401 to log), and takes the token out of the address', async () => {
    const { target, requests } = start({ hash: `#token=${GOOD}` });
    await vi.waitFor(() => expect(target.querySelector('nav[aria-label="Main"]')).not.toBeNull());
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/api/auth/session', body: { token: GOOD } });
    expect(requests.some((r) => r.method === 'GET' && r.url === '/api/auth/session')).toBe(false);
    expect(window.location.hash).toBe('#/');
  });

  it('returns to sign-in with a notice when the session ends while in use', async () => {
    const { target } = start({ signedIn: true, sessions: () => errorReply(401, 'unauthorized', 'Your sign-in session has ended; sign in again') });
    await vi.waitFor(() => expect(target.querySelector('h1')?.textContent).toBe('Sign in'));
    const notice = target.querySelector('[role="status"]');
    expect(text(notice)).toBe(EXPIRED_NOTICE);
  });

  it('signs out on the server and shows the sign-in form', async () => {
    const { target, requests } = start({ signedIn: true });
    await vi.waitFor(() => expect(button('Sign out')).not.toBeNull());
    button('Sign out')!.click();
    flushSync();
    await vi.waitFor(() => expect(target.querySelector('#token')).not.toBeNull());
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/auth/session' });
    expect(target.querySelector('.message')).toBeNull();
  });
});
