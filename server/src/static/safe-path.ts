// Maps a URL path onto a file under a root directory, refusing anything that could escape it.
import { resolve, sep } from 'node:path';

/**
 * `urlPath` is the raw (still percent-encoded) path below the mount point. Each segment is
 * decoded once; encoded separators, NUL, "..", and dotfiles are refused outright, and the
 * resolved path must still lie inside `root` as a last line of defence.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  const segments: string[] = [];
  for (const raw of urlPath.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const base = resolve(root);
  const path = resolve(base, ...segments);
  return path === base || path.startsWith(base + sep) ? path : undefined;
}
