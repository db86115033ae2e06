// Encodes a position in the newest-first session list as an opaque cursor string, and back.
import { ApiError } from '../errors/api-error';
import type { SessionListPosition } from '../repos/sessions-repo';

/** Opaque to clients so the ordering key can change without breaking them. */
export function encodeCursor(position: SessionListPosition): string {
  return Buffer.from(JSON.stringify([position.startedAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): SessionListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { startedAt: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the one error below
  }
  throw new ApiError(400, 'invalid_request', 'Invalid "before" cursor');
}
