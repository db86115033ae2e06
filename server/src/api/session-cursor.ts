// Encodes a position in the session list, with the sort it belongs to, as an opaque cursor string, and back.
import { SESSION_SORTS, type SessionSort, type SessionSummary } from '../api-types';
import { ApiError } from '../errors/api-error';
import type { SessionListPosition } from '../repos/sessions-repo';

/** The position of a listed session in the sort's order: what the next page starts after. */
export function positionOf(sort: SessionSort, session: SessionSummary): SessionListPosition {
  switch (sort) {
    case 'newest':
      return { sort, startedAt: session.startedAt, id: session.id };
    case 'longest':
      return { sort, durationMs: session.durationMs, id: session.id };
    case 'score':
      return { sort, score: session.frustrationScore, startedAt: session.startedAt, id: session.id };
  }
}

/** Opaque to clients so the ordering keys can change without breaking them: [sort, ...keys, id] as base64url JSON. */
export function encodeCursor(position: SessionListPosition): string {
  const keys =
    position.sort === 'newest'
      ? [position.startedAt]
      : position.sort === 'longest'
        ? [position.durationMs]
        : [position.score, position.startedAt];
  return Buffer.from(JSON.stringify([position.sort, ...keys, position.id])).toString('base64url');
}

const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

export function decodeCursor(cursor: string): SessionListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (Array.isArray(value) && typeof value.at(-1) === 'string' && (SESSION_SORTS as readonly unknown[]).includes(value[0])) {
    const [sort, a, b] = value as [SessionSort, unknown, unknown];
    const id = value.at(-1) as string;
    if (sort === 'newest' && value.length === 3 && isInteger(a)) return { sort, startedAt: a, id };
    if (sort === 'longest' && value.length === 3 && isInteger(a)) return { sort, durationMs: a, id };
    if (sort === 'score' && value.length === 4 && typeof a === 'number' && Number.isFinite(a) && isInteger(b)) {
      return { sort, score: a, startedAt: b, id };
    }
  }
  throw new ApiError(400, 'invalid_request', 'Invalid "before" cursor: pass the nextCursor of a previous page unchanged');
}
