// Gzips a request body with the browser's native CompressionStream.

export type Gzip = (text: string) => Promise<Uint8Array<ArrayBuffer>>;

/**
 * Null where CompressionStream is missing (Safari before 16.4, old Firefox): the sender then
 * posts plain JSON. A bundled deflate library would cost more bytes than it saves.
 */
export function createGzip(scope: { CompressionStream?: typeof CompressionStream }): Gzip | null {
  const Compression = scope.CompressionStream;
  if (typeof Compression !== 'function') return null;
  return async function gzip(text) {
    const stream = new Blob([text]).stream().pipeThrough(new Compression('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}
