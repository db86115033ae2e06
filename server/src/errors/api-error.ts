// The one error type of the HTTP API: a status, a machine-readable code and a message for people.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode } from '../api-types';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** Sent as Retry-After (seconds) with a 429 or 503: when trying again can succeed. */
  readonly retryAfterS: number | undefined;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    this.retryAfterS = options?.retryAfterS;
  }
}
