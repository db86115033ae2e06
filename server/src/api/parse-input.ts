// Validates a route's query string or JSON body against the zod schema declared at the top of the route.
import type { z } from 'zod';
import { ApiError } from '../errors/api-error';

/** The first issue, named by its field, is what a person fixing the request needs. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `"${path}": ${issue.message}` : issue.message;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const result = schema.safeParse(query);
  if (!result.success) throw new ApiError(400, 'invalid_request', `Invalid query parameter ${describe(result.error)}`);
  return result.data;
}

export function parsePathParam<S extends z.ZodType>(schema: S, name: string, value: string | undefined): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, 'invalid_request', `Invalid path parameter "${name}": ${result.error.issues[0]!.message}`);
  return result.data;
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
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
