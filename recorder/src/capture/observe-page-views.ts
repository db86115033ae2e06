// Page views of single-page-app route changes, and the deepest scroll reached in each page view.
import { CUSTOM_EVENT_TAGS, type PageViewTrigger } from '../wire/custom-events';
import { fraction } from './click-payload';
import { patch, teardownAll, type Capture, type Teardown } from './listen';
import { pageUrl } from './strip-url';

/** Scroll position is sampled at most this often; a visitor cannot read a page faster. */
export const SCROLL_SAMPLE_MS = 200;

/**
 * The load page view is the recorder's; this adds one per route change, when the page's stored
 * URL (pageUrl: no query string) changes, so replaceState bookkeeping and anchor jumps are not
 * page views. A page view ends, and sends its scroll depth, at the next route change, when the
 * tab is hidden and on pagehide; each end sends only if the depth changed since the last, except
 * pagehide's, which always sends: the page's final batch must have an event to carry its flag.
 */
export function observePageViews({ win, emit, wrap, on }: Capture): Teardown {
  const { location, document: doc } = win;
  let url = pageUrl(location.href);
  let maxY = 0;
  let sent = '';
  let timer = 0;

  function sample(): void {
    maxY = Math.max(maxY, Math.round(win.scrollY + win.innerHeight));
  }

  function endView(): void {
    sample();
    const documentHeight = Math.max(doc.documentElement.scrollHeight, maxY);
    const key = maxY + ' ' + documentHeight;
    if (key == sent) return;
    sent = key;
    emit(CUSTOM_EVENT_TAGS.scrollDepth, { maxY, documentHeight, viewportHeight: win.innerHeight, fraction: fraction(maxY, documentHeight) });
  }

  function startView(): void {
    url = pageUrl(location.href);
    maxY = 0;
    sent = '';
  }

  const routeChanged = wrap((trigger: PageViewTrigger) => {
    const next = pageUrl(location.href);
    // Chrome fires popstate before hashchange for a hash-only change; let hashchange name it.
    if (next == url || (trigger == 'popstate' && next.split('#')[0] == url.split('#')[0])) return;
    endView();
    emit(CUSTOM_EVENT_TAGS.pageView, { url: next, title: doc.title, referrer: url, trigger });
    startView();
  });

  const history = (method: 'pushState' | 'replaceState', trigger: PageViewTrigger) =>
    patch(win.history, method, (original) =>
      function (...args) {
        const result = original.apply(this, args);
        routeChanged(trigger);
        return result;
      },
    );

  return teardownAll([
    history('pushState', 'push-state'),
    history('replaceState', 'replace-state'),
    on('popstate', () => routeChanged('popstate')),
    on('hashchange', () => routeChanged('hashchange')),
    // Bubble phase: the document's own scroll bubbles to the window, inner scrollers' do not.
    // Sampled at the start and the end of each period, so a quick scroll down and back still counts.
    on(
      'scroll',
      () => timer || (sample(), (timer = win.setTimeout(wrap(() => ((timer = 0), sample())), SCROLL_SAMPLE_MS))),
      true,
    ),
    // Added before the recorder's lifecycle listeners (Chromium runs a target's listeners in the
    // order added, capture or not), so this lands in its pagehide flush.
    on('pagehide', () => ((sent = ''), endView())),
    // visibilitychange is fired at the document; in the capture phase the window sees it first.
    on('visibilitychange', () => doc.visibilityState == 'hidden' && endView()),
    // Back from the back/forward cache: the recorder starts a new page load, so does the depth.
    on('pageshow', (event: PageTransitionEvent) => event.persisted && startView()),
    () => win.clearTimeout(timer),
  ]);
}
