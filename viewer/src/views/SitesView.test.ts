// @vitest-environment jsdom
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Site } from '../lib/contract';
import { deferred, errorReply, type FakeReply, type RecordedRequest } from '../testing/fake-fetch';
import { renderInApp, type RenderedInApp } from '../testing/render-in-app';
import SitesView from './SitesView.svelte';

let view: RenderedInApp | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
  document.body.innerHTML = '';
});

const SHOP: Site = { id: 's1', name: 'Shop', origins: ['https://shop.example'], key: 'pk_1', createdAt: 0, urlPatterns: [], retentionDays: null };

function render(api: (request: RecordedRequest, url: URL) => FakeReply | Promise<FakeReply>): RenderedInApp {
  view = renderInApp(SitesView, {}, api);
  void view.sites.load();
  return view;
}

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const byLabel = <T extends HTMLElement>(label: string) => {
  const found = [...document.querySelectorAll('label')].find((l) => text(l) === label);
  return (found?.control ?? null) as T | null;
};
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => text(b) === name) ?? null;
const dialog = () => document.querySelector<HTMLElement>('[role="alertdialog"]');

function type(control: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}
function choose(radio: HTMLInputElement): void {
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}
function press(element: HTMLElement | null): void {
  element!.click();
  flushSync();
}
const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

/** A server holding `sites`; PATCH and DELETE answer from `write`. */
function sitesApi(sites: Site[], write: (request: RecordedRequest, url: URL) => FakeReply | Promise<FakeReply> = () => errorReply(500, 'internal', 'unexpected')) {
  return (request: RecordedRequest, url: URL): FakeReply | Promise<FakeReply> => {
    if (url.pathname === '/api/sites' && request.method === 'GET') return { json: { sites } };
    return write(request, url);
  };
}

describe('SitesView', () => {
  it('shows loading, then each site with its origins and script tag', async () => {
    const reply = deferred<FakeReply>();
    const { target } = render(() => reply.promise);
    await vi.waitFor(() => expect(text(target.querySelector('[role="status"]'))).toBe('Loading your sites…'));
    reply.resolve({ json: { sites: [SHOP] } });
    await vi.waitFor(() => expect(target.querySelector('article h2')?.textContent).toBe('Shop'));
    expect(text(target.querySelector('article'))).toContain('https://shop.example');
    expect(text(target.querySelector('article'))).toContain('pk_1');
  });

  it('says when there is no site yet, and offers the form', async () => {
    const { target } = render(sitesApi([]));
    await vi.waitFor(() => expect(text(target)).toContain('No sites yet'));
    expect(text(target.querySelector('form h2'))).toBe('Add a site');
  });

  it("shows the error and loads again on retry", async () => {
    let calls = 0;
    const { target } = render(() => (++calls === 1 ? errorReply(500, 'internal', 'database is locked') : { json: { sites: [SHOP] } }));
    await vi.waitFor(() => expect(target.querySelector('[role="alert"]')).not.toBeNull());
    expect(text(target.querySelector('[role="alert"] h2'))).toBe("Couldn't load your sites");
    expect(text(target.querySelector('[role="alert"]'))).toContain('The server ran into a problem: database is locked');
    press(button('Try again'));
    await vi.waitFor(() => expect(target.querySelector('article h2')?.textContent).toBe('Shop'));
  });

  it('adds a site: checks the fields, shows the server refusal, then the new site in the list', async () => {
    const sites: Site[] = [];
    const { target, requests } = render(
      sitesApi(sites, (request) => {
        const body = request.body as { name: string; origins: string[] };
        if (body.origins[0] === 'shop.example') return errorReply(400, 'invalid_request', 'origins[0] must be an origin like https://shop.example');
        sites.push({ ...SHOP, id: 's2', name: body.name, origins: body.origins });
        return { status: 201, json: { id: 's2', key: 'pk_2' } };
      }),
    );
    await vi.waitFor(() => expect(text(target)).toContain('No sites yet'));

    press(button('Add site'));
    expect(text(target.querySelector('form [role="alert"]'))).toBe('Give the site a name, for example "Online shop".');
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    type(byLabel<HTMLInputElement>('Name')!, 'Outlet');
    type(byLabel<HTMLTextAreaElement>('Website addresses')!, 'shop.example');
    press(button('Add site'));
    await vi.waitFor(() => expect(text(target.querySelector('form [role="alert"]'))).toBe('origins[0] must be an origin like https://shop.example'));

    type(byLabel<HTMLTextAreaElement>('Website addresses')!, 'https://outlet.example');
    press(button('Add site'));
    await vi.waitFor(() => expect(text(target.querySelector('form [role="status"]'))).toBe('"Outlet" was added. Its script tag is in the list.'));
    await vi.waitFor(() => expect(target.querySelector('article h2')?.textContent).toBe('Outlet'));
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { name: 'Outlet', origins: ['shop.example'] },
      { name: 'Outlet', origins: ['https://outlet.example'] },
    ]);
  });
});

describe('retention setting', () => {
  it('shows the saved choice, checks the number of days, and saves a period or "until deleted"', async () => {
    const site: Site = { ...SHOP, retentionDays: 30 };
    const patches: unknown[] = [];
    const saving = deferred<void>();
    const { target } = render(
      sitesApi([site], async (request) => {
        patches.push(request.body);
        await saving.promise;
        site.retentionDays = (request.body as { retentionDays: number | null }).retentionDays;
        return { json: site };
      }),
    );
    await vi.waitFor(() => expect(target.querySelector('article')).not.toBeNull());

    const group = [...target.querySelectorAll('fieldset')].find((f) => text(f.querySelector('legend')) === 'Keep sessions')!;
    const forever = byLabel<HTMLInputElement>('Until you delete them')!;
    const forDays = byLabel<HTMLInputElement>('For a number of days')!;
    expect(forDays.checked).toBe(true);
    expect(forever.checked).toBe(false);
    const days = byLabel<HTMLInputElement>('Days to keep sessions')!;
    expect(days.value).toBe('30');
    expect(group.contains(days)).toBe(true);

    type(days, '0');
    press(button('Save retention'));
    expect(text(target.querySelector('.retention [role="alert"]'))).toBe(
      'Enter a whole number of days from 1 to 3650, or choose to keep sessions until you delete them.',
    );
    type(days, '4000');
    press(button('Save retention'));
    expect(target.querySelector('.retention [role="alert"]')).not.toBeNull();
    expect(patches).toEqual([]);

    type(days, '14');
    press(button('Save retention'));
    await vi.waitFor(() => expect(button('Saving…')?.disabled).toBe(true));
    saving.resolve();
    await vi.waitFor(() => expect(text(target.querySelector('.retention [role="status"]'))).toBe('Saved.'));
    expect(target.querySelector('.retention [role="alert"]')).toBeNull();

    choose(forever);
    expect(byLabel('Days to keep sessions')).toBeNull();
    expect(target.querySelector('.retention [role="status"]')).toBeNull();
    press(button('Save retention'));
    await vi.waitFor(() => expect(text(target.querySelector('.retention [role="status"]'))).toBe('Saved.'));
    expect(patches).toEqual([{ retentionDays: 14 }, { retentionDays: null }]);
  });

  it("offers a period when switching from 'until deleted', and shows the server's refusal", async () => {
    const { target } = render(sitesApi([SHOP], () => errorReply(400, 'invalid_request', 'retentionDays: Number must be less than or equal to 3650')));
    await vi.waitFor(() => expect(target.querySelector('article')).not.toBeNull());
    expect(byLabel<HTMLInputElement>('Until you delete them')!.checked).toBe(true);
    choose(byLabel<HTMLInputElement>('For a number of days')!);
    expect(byLabel<HTMLInputElement>('Days to keep sessions')!.value).toBe('90');
    press(button('Save retention'));
    await vi.waitFor(() => expect(text(target.querySelector('.retention [role="alert"]'))).toBe('retentionDays: Number must be less than or equal to 3650'));
  });
});

describe("deleting a person's sessions", () => {
  it('asks for the user id, confirms naming the user and the site, and reports the count with the pending note', async () => {
    const release = deferred<void>();
    const { target, requests } = render(
      sitesApi([SHOP], async (request) => {
        await release.promise;
        return { json: { siteId: 's1', userId: 'ann@example.com', deletedSessions: 3, pendingBatches: 2 } };
      }),
    );
    await vi.waitFor(() => expect(target.querySelector('article')).not.toBeNull());
    const input = byLabel<HTMLInputElement>("Delete a person's recordings")!;
    const opener = button('Delete sessions…')!;

    press(opener);
    expect(text(target.querySelector('.forget [role="alert"]'))).toBe('Enter the user id first.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(dialog()).toBeNull();

    type(input, '  ann@example.com ');
    opener.focus();
    press(opener);
    const open = dialog()!;
    expect(open.getAttribute('aria-modal')).toBe('true');
    expect(text(document.getElementById(open.getAttribute('aria-labelledby')!))).toBe("Delete this user's sessions?");
    expect(text(document.getElementById(open.getAttribute('aria-describedby')!))).toContain(
      'Every session of Shop identified as user ann@example.com will be deleted for everyone',
    );
    // Cancel has focus, so Enter pressed out of habit deletes nothing; Escape closes and focus goes back.
    expect(document.activeElement).toBe(button('Cancel'));
    key(open, 'Escape');
    flushSync();
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);

    press(opener);
    // Tab goes round the dialog's two buttons.
    key(dialog()!, 'Tab');
    expect(document.activeElement).toBe(button('Delete their sessions'));
    key(dialog()!, 'Tab');
    expect(document.activeElement).toBe(button('Cancel'));
    press(button('Delete their sessions'));
    expect(button('Deleting…')?.disabled).toBe(true);
    expect(dialog()!.getAttribute('aria-busy')).toBe('true');
    release.resolve();
    await vi.waitFor(() => expect(dialog()).toBeNull());
    expect(text(target.querySelector('.forget [role="status"]'))).toBe(
      'Deleted 3 sessions of user ann@example.com. 2 batches of this site were not analysed yet, so a session that identified this user among them could not be found yet: run this again in a minute.',
    );
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/api/sites/s1/users/ann%40example.com']);
  });

  it('keeps the dialog open with the error when the deletion fails, and deletes on a second try', async () => {
    let calls = 0;
    const { target } = render(
      sitesApi([SHOP], () => (++calls === 1 ? new TypeError('Failed to fetch') : { json: { siteId: 's1', userId: 'u-9', deletedSessions: 1, pendingBatches: 0 } })),
    );
    await vi.waitFor(() => expect(target.querySelector('article')).not.toBeNull());
    type(byLabel<HTMLInputElement>("Delete a person's recordings")!, 'u-9');
    press(button('Delete sessions…'));
    press(button('Delete their sessions'));
    await vi.waitFor(() => expect(text(dialog()?.querySelector('[role="alert"]'))).toMatch(/^Could not reach the frictionlens server/));
    press(button('Delete their sessions'));
    await vi.waitFor(() => expect(dialog()).toBeNull());
    expect(text(target.querySelector('.forget [role="status"]'))).toBe('Deleted 1 session of user u-9.');
  });
});
