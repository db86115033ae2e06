import { expect, it } from 'vitest';
import { ApiClientError } from './api-client';
import { errorMessage } from './error-message';

it('explains failures in plain words', () => {
  expect(errorMessage(new ApiClientError(0, 'network_error', 'x'))).toMatch(/^Could not reach the frictionlens server/);
  expect(errorMessage(new ApiClientError(404, 'not_found', 'Session not found'))).toBe(
    'We could not find that. It may have been deleted.',
  );
  expect(errorMessage(new ApiClientError(500, 'internal', 'disk full'))).toBe('The server ran into a problem: disk full');
  expect(errorMessage(new ApiClientError(400, 'invalid_request', 'name is required'))).toBe('name is required');
  expect(errorMessage('weird')).toBe('Something went wrong.');
});
