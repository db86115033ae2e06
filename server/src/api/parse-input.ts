// Validates a route's query string or JSON body against the zod schema declared at the top of the route.
import type { z } from 'zod';
import { ApiError } from '../errors/api-error';

/** The first issue, named by its field, is what a person fixing the request needs. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `"${path}": ${issue.message}` : issue.message;
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): a query would fail with 22021 and answer 500.
 * No id, name, pattern or user id needs it, so a request carrying one is refused alike on both backends.
 */
export const NUL_MESSAGE = 'text may not contain the NUL character (U+0000)';

/** Whether any string or key in a parsed JSON value (or a query) holds U+0000; a loop, as a hostile body nests arrays tens of thousands deep. */
export function holdsNul(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (Array.isArray(item)) {
      for (const child of item) pending.push(child);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  if (holdsNul(query)) throw new ApiError(400, 'invalid_request', `Invalid query parameter: ${NUL_MESSAGE}`);
  const result = schema.safeParse(query);
  if (!result.success) throw new ApiError(400, 'invalid_request', `Invalid query parameter ${describe(result.error)}`);
  return result.data;
}

export function parsePathParam<S extends z.ZodType>(schema: S, name: string, value: string | undefined): z.output<S> {
  if (holdsNul(value)) throw new ApiError(400, 'invalid_request', `Invalid path parameter "${name}": ${NUL_MESSAGE}`);
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, 'invalid_request', `Invalid path parameter "${name}": ${result.error.issues[0]!.message}`);
  return result.data;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (holdsNul(body)) throw new ApiError(400, 'invalid_request', `Invalid body: ${NUL_MESSAGE}`);
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(400, 'invalid_request', `Invalid body: ${describe(result.error)}`);
  return result.data;
}

/** Reads a JSON body, refusing what is not JSON with the API's usual error. */
export async function readJson(req: { text(): Promise<string> }): Promise<unknown> {
  try {
    return JSON.parse(await req.text());
  } catch {
    throw new ApiError(400, 'invalid_json', 'Body is not valid JSON');
  }
}
