// Turns any thrown value into a sentence a marketer can act on.
import { ApiClientError } from './api-client';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiClientError) {
    if (error.code === 'network_error') {
      return 'Could not reach the frictionlens server. Check that it is running and that you are online.';
    }
    if (error.status === 401) return 'Your sign-in is no longer valid. Please sign in again.';
    if (error.status === 404) return 'We could not find that. It may have been deleted.';
    if (error.status >= 500) return `The server ran into a problem: ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
