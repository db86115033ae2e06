// @vitest-environment jsdom
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferred, errorReply, type FakeReply } from '../testing/fake-fetch';
import { renderInApp, type RenderedInApp } from '../testing/render-in-app';
import { sessionSummary } from '../testing/session-summary';
import SessionHeader from './SessionHeader.svelte';

let view: RenderedInApp | undefined;
afterEach(() => {
  view?.destroy();
  view = undefined;
  document.body.innerHTML = '';
});

const T0 = Date.UTC(2026, 2, 3, 14, 5);
const SESSION = sessionSummary({ id: 'visit/7', startedAt: T0, durationMs: 125_000, pageCount: 3, entryUrl: 'https://shop.example/checkout?step=2' });
const LIST = '#/?site=s1&friction=rage_click';

const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => text(b) === name) ?? null;
const dialog = () => document.querySelector<HTMLElement>('[role="alertdialog"]');
const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

function render(reply: () => FakeReply | Promise<FakeReply>): RenderedInApp {
  // The list the person came from: the way back after the deletion.
  view = renderInApp(SessionHeader, { session: SESSION }, (request) => (request.method === 'DELETE' ? reply() : errorReply(404, 'not_found', 'no')), LIST);
  view.router.go(`#/sessions/${encodeURIComponent(SESSION.id)}`);
  flushSync();
  return view;
}

describe('deleting the session from its header', () => {
  it('confirms naming the visit, keeps the player shortcuts out of the dialog, then deletes and returns to the list', async () => {
    const release = deferred<FakeReply>();
    const { requests, router } = render(() => release.promise);
    const opener = button('Delete session')!;
    expect(opener.getAttribute('aria-haspopup')).toBe('dialog');
    opener.focus();
    opener.click();
    flushSync();

    const open = dialog()!;
    expect(text(document.getElementById(open.getAttribute('aria-labelledby')!))).toBe('Delete this session?');
    const said = text(document.getElementById(open.getAttribute('aria-describedby')!));
    expect(said).toContain('landed on /checkout?step=2 (2m 05s, 3 pages) will be deleted for everyone');
    expect(said).toContain('This cannot be undone.');
    expect(document.activeElement).toBe(button('Cancel'));

    // A key pressed in the dialog is the dialog's: the window (where the player listens) never sees it.
    const seen: string[] = [];
    const listener = (event: KeyboardEvent) => seen.push(event.key);
    window.addEventListener('keydown', listener);
    key(document.activeElement!, 'n');
    key(document.activeElement!, ' ');
    window.removeEventListener('keydown', listener);
    expect(seen).toEqual([]);

    button('Cancel')!.click();
    flushSync();
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(requests).toHaveLength(0);

    opener.click();
    flushSync();
    dialog()!.querySelector<HTMLButtonElement>('button:not([data-cancel])')!.click();
    flushSync();
    // The one in the dialog, now busy; the header's own stays as it was.
    expect(dialog()!.querySelector('button:not([data-cancel])')?.textContent).toBe('Deleting…');
    release.resolve({ json: { id: SESSION.id, deleted: true } });
    await vi.waitFor(() => expect(router.route.name).toBe('sessions'));
    expect(window.location.hash).toBe(LIST);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /api/sessions/visit%2F7']);
  });

  it('shows a failure in the dialog and stays on the session', async () => {
    const { router } = render(() => errorReply(500, 'internal', 'disk I/O error'));
    button('Delete session')!.click();
    flushSync();
    dialog()!.querySelector<HTMLButtonElement>('button:not([data-cancel])')!.click();
    await vi.waitFor(() => expect(text(dialog()?.querySelector('[role="alert"]'))).toBe('The server ran into a problem: disk I/O error'));
    expect(router.route.name).toBe('session');
    expect(dialog()!.querySelector<HTMLButtonElement>('button:not([data-cancel])')!.disabled).toBe(false);
  });
});
