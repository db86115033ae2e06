// fetch and XMLHttpRequest calls that failed: HTTP status >= 400 or a network error. Never a body, never a query string.
import { CUSTOM_EVENT_TAGS, type NetworkFailurePayload } from '../wire/custom-events';
import { INGEST_PATH } from '../wire/format';
import { patch, teardownAll, type Capture, type Teardown } from './listen';
import { stripUrl } from './strip-url';

type Request = [method: string, url: string];

/**
 * `endpoint` is the recorder's own origin: its ingest requests are never reported (the batch
 * sender holds the unwrapped fetch anyway; this keeps it so if that changes). Aborted requests
 * are the site's own choice, not failures.
 */
export function observeNetwork({ win, emit, wrap }: Capture, endpoint?: string): Teardown {
  const xhrs = new WeakMap<object, Request | undefined>();
  const XHR = (win.XMLHttpRequest || {}).prototype;
  /** fetch(input, init) and xhr.open(method, url) alike; Object() makes null and strings safe to read. */
  const describe = wrap((input: any, init?: any): Request | undefined => {
    const request = Object(input);
    const url = stripUrl(String(request.url || input), win.location.href);
    if (url != endpoint + INGEST_PATH) return [String(Object(init).method || request.method || 'GET').toUpperCase(), url];
  });
  const report = wrap(
    (initiator: NetworkFailurePayload['initiator'], [method, url]: Request, start: number, status: number, error?: string) =>
      emit(CUSTOM_EVENT_TAGS.networkFailure, { initiator, method, url, status, error, durationMs: Date.now() - start }),
  );

  const remember = wrap((xhr: XMLHttpRequest, method: unknown, url: unknown) => xhrs.set(xhr, describe(url, { method })));
  const watch = wrap((xhr: XMLHttpRequest) => {
    const request = xhrs.get(xhr);
    if (!request) return;
    const start = Date.now();
    // One outcome per send: the first of these removes all four, so a reused XHR is not counted twice.
    const done = new AbortController();
    const outcome = wrap(({ type }: Event) => {
      done.abort();
      const loaded = type == 'load';
      if (loaded ? xhr.status >= 400 : type != 'abort') report('xhr', request, start, loaded ? xhr.status : 0, loaded ? undefined : type);
    });
    for (const type of ['load', 'error', 'timeout', 'abort']) xhr.addEventListener(type, outcome, { signal: done.signal });
  });

  return teardownAll([
    patch(win, 'fetch', (original) =>
      function (input, init) {
        const start = Date.now();
        const request = describe(input, init);
        const response: Promise<Response> = original.apply(this, arguments as never);
        // The page gets the chained promise, so a rejection it ignores is still unhandled, as without us.
        return request
          ? response.then(
              (res) => (res.status >= 400 && report('fetch', request, start, res.status), res),
              (error) => {
                if (Object(error).name != 'AbortError') report('fetch', request, start, 0, String(Object(error).message || error));
                throw error;
              },
            )
          : response;
      },
    ),
    patch(XHR, 'open', (original) =>
      function (this: XMLHttpRequest, method, url) {
        remember(this, method, url);
        return original.apply(this, arguments as never);
      },
    ),
    patch(XHR, 'send', (original) =>
      function (this: XMLHttpRequest) {
        watch(this);
        return original.apply(this, arguments as never);
      },
    ),
  ]);
}
