// Watches the moments a page may go away or come back: hidden, pagehide, restored from the back/forward cache.

export interface PageLifecycleHandlers {
  /** The tab was hidden: it may be closed or discarded without another event. */
  onHidden(): void;
  /** The page is being unloaded or frozen into the back/forward cache; only synchronous work is safe. */
  onPageHide(): void;
  /** The page came back from the back/forward cache: to the user, a new page load. */
  onRestore(): void;
}

export type LifecycleWindow = Pick<Window, 'addEventListener' | 'removeEventListener'> & {
  document: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>;
};

/** One listener per signal, each removed by the returned teardown. */
export function observePageLifecycle(win: LifecycleWindow, handlers: PageLifecycleHandlers): () => void {
  const doc = win.document;
  const teardowns = [
    listen(doc, 'visibilitychange', () => {
      if (doc.visibilityState === 'hidden') handlers.onHidden();
    }),
    listen(win, 'pagehide', () => handlers.onPageHide()),
    listen(win, 'pageshow', (event) => {
      if ((event as PageTransitionEvent).persisted) handlers.onRestore();
    }),
  ];
  return () => teardowns.forEach((teardown) => teardown());
}

/** Capture phase, so a host page calling stopPropagation() in its own listener cannot hide the event from us. */
function listen(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, type: string, listener: (event: Event) => void) {
  target.addEventListener(type, listener, true);
  return () => target.removeEventListener(type, listener, true);
}
