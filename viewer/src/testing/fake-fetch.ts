// Test double for fetch: answers from a handler and records every request the client made.
import type { FetchLike } from '../lib/api-client';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

/** A reply: a JSON body with a status, a raw text or binary body, or an error to throw as a network failure. */
export type FakeReply = { status?: number; json?: unknown; text?: string; bytes?: Uint8Array<ArrayBuffer> } | Error;

export interface FakeFetch {
  fetch: FetchLike;
  requests: RecordedRequest[];
}

export function fakeFetch(handler: (request: RecordedRequest) => FakeReply | Promise<FakeReply>): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      url,
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init.credentials,
    };
    requests.push(request);
    const reply = await handler(request);
    if (reply instanceof Error) throw reply;
    const status = reply.status ?? 200;
    if (reply.text !== undefined) return new Response(reply.text, { status });
    if (reply.bytes !== undefined) return new Response(reply.bytes, { status });
    return Response.json(reply.json ?? null, { status });
  };
  return { fetch, requests };
}

/** A promise plus its resolver, for replies the test releases later. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function errorReply(status: number, code: string, message: string): FakeReply {
  return { status, json: { error: { code, message } } };
}
