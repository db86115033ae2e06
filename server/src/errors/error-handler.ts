// Turns any thrown error into the API's one error shape; the only place that builds error bodies.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ApiErrorCode } from '../api-types';
import { ApiError } from './api-error';
import { databaseUnavailable } from './database-unavailable';

export type ErrorLogger = (message: string, err: unknown) => void;

/** A full disk fails every request: one log line per this long says so without flooding the log. */
export const UNAVAILABLE_LOG_INTERVAL_MS = 10_000;

function errorResponse(c: Context, status: ContentfulStatusCode, code: ApiErrorCode, message: string, retryAfterS?: number): Response {
  const body: ApiErrorBody = { error: { code, message } };
  if (retryAfterS !== undefined) c.header('Retry-After', String(retryAfterS));
  return c.json(body, status);
}

/** Hono's own middleware throws HTTPException; map the statuses it uses onto our codes. */
function codeForHttpStatus(status: number): ApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  return status >= 500 ? 'internal' : 'invalid_request';
}

export function createErrorHandler(log: ErrorLogger = (message, err) => console.error(message, err), now: () => number = Date.now): ErrorHandler {
  let lastUnavailableLog = -Infinity;
  let unlogged = 0;
  return function handleError(err, c) {
    // PostgreSQL's batch writer words its "not now" (unreachable, ended by the operator, disk full) as
    // an ApiError 'unavailable' itself: logged below like SQLite's, or the operator would never hear of it.
    if (err instanceof ApiError && err.code !== 'unavailable') return errorResponse(c, err.status, err.code, err.message, err.retryAfterS);
    if (err instanceof HTTPException && err.status < 500) {
      return errorResponse(c, err.status, codeForHttpStatus(err.status), err.message || 'Request refused');
    }
    const unavailable = err instanceof ApiError ? err : databaseUnavailable(err);
    if (unavailable) {
      // Not our bug but the operator's to know: logged, at most once per interval.
      unlogged++;
      if (now() - lastUnavailableLog >= UNAVAILABLE_LOG_INTERVAL_MS) {
        log(`database unavailable (${unlogged} request${unlogged === 1 ? '' : 's'} answered 503 since the last report):`, unavailable.cause ?? err);
        lastUnavailableLog = now();
        unlogged = 0;
      }
      return errorResponse(c, unavailable.status, unavailable.code, unavailable.message, unavailable.retryAfterS);
    }
    // Anything else is our bug: log it in full, tell the client nothing about internals.
    log(`${c.req.method} ${c.req.path} failed:`, err);
    return errorResponse(c, 500, 'internal', 'Internal server error');
  };
}

/** Unknown /api/* paths get a JSON 404 like every other API error; other paths get plain text. */
export const handleNotFound: NotFoundHandler = function handleNotFound(c) {
  if (c.req.path === '/api' || c.req.path.startsWith('/api/')) {
    return errorResponse(c, 404, 'not_found', `No API route for ${c.req.method} ${c.req.path}`);
  }
  return c.text('Not found', 404);
};
