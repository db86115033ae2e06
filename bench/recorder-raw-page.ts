// A page in a browser context Playwright does not attach to, driven by a few raw DevTools calls: no Network domain on it.
import type { Browser, CDPSession } from 'playwright-core';

/**
 * Why: a page Playwright drives has DevTools' Network domain enabled, and Chromium then copies
 * every request body (a Uint8Array or string, not a Blob) into its requestWillBeSent event on the
 * page's main thread: 25, 60 and 140 KB cost 15, 29 and 66 ms of main-thread CPU per post more than
 * without DevTools (bench/recorder-post-body-cost.ts). A site's visitors never pay that. Playwright
 * detaches from pages of browser contexts it did not create (not persistent: no default context),
 * so this page is reached through the browser's own session, with Target.sendMessageToTarget, and
 * only the domains asked for here (Page, Runtime, Performance, HeapProfiler) are enabled on it.
 */
export interface RawPage {
  send<T = unknown>(method: string, params?: object): Promise<T>;
  /** Navigates and resolves once the load event has fired. */
  goto(url: string): Promise<void>;
  /** Calls handler with the params of each event of this name. */
  on(method: string, handler: (params: unknown) => void): void;
  /** Evaluates an expression in the page, awaiting a promise, and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

export async function openRawPage(browser: Browser): Promise<RawPage> {
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { browserContextId } = await cdp.send('Target.createBrowserContext');
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
  let nextId = 1;
  const pending = new Map<number, (message: Message) => void>();
  const waiting = new Map<string, () => void>();
  const handlers = new Map<string, (params: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as Message;
    if (message.id !== undefined) pending.get(message.id)?.(message);
    else if (message.method) {
      waiting.get(message.method)?.();
      handlers.get(message.method)?.(message.params);
    }
  });
  async function send<T>(method: string, params: object = {}): Promise<T> {
    const id = nextId++;
    const answer = new Promise<Message>((resolve) => pending.set(id, resolve));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    const message = await answer;
    pending.delete(id);
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result as T;
  }
  await send('Page.enable');
  return {
    send,
    on: (method, handler) => void handlers.set(method, handler),
    async goto(url) {
      const loaded = new Promise<void>((resolve) => waiting.set('Page.loadEventFired', resolve));
      await send('Page.navigate', { url });
      await loaded;
      waiting.delete('Page.loadEventFired');
    },
    async evaluate<T>(expression: string) {
      const { result, exceptionDetails } = await send<{ result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
        'Runtime.evaluate',
        { expression, awaitPromise: true, returnByValue: true },
      );
      if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    async close() {
      await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
      await cdp.send('Target.disposeBrowserContext', { browserContextId }).catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}
