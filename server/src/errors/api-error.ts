// The one error type of the HTTP API: a status, a machine-readable code and a message for people.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode } from '../api-types';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
