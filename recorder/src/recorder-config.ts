// Reads the recorder's configuration from its own <script> tag.

export interface RecorderConfig {
  siteKey: string;
  /** Origin batches are posted to, without a trailing slash. */
  endpoint: string;
}

/** The bits of an HTMLScriptElement we read, so tests can pass a plain object. */
export interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

/** Fallback when currentScript is unavailable (the bundle wrapped by a tag manager or a loader). */
export const RECORDER_SCRIPT_SELECTOR = 'script[data-key][src*="recorder"]';

export function findRecorderScript(doc: Pick<Document, 'currentScript' | 'querySelector'>): ScriptLike | null {
  const current = doc.currentScript;
  if (current && 'src' in current && current.src && current.getAttribute('data-key') !== null) return current;
  return doc.querySelector<HTMLScriptElement>(RECORDER_SCRIPT_SELECTOR);
}

/**
 * Null means "stay inert": no tag, no data-key, or no usable http(s) endpoint. The endpoint is
 * the script's own origin unless data-endpoint names another one; only the origin is kept, since
 * the ingest path is fixed by the wire format.
 */
export function readRecorderConfig(script: ScriptLike | null, pageUrl: string): RecorderConfig | null {
  if (!script) return null;
  const siteKey = script.getAttribute('data-key')?.trim();
  if (!siteKey) return null;
  const endpoint = httpOrigin(script.getAttribute('data-endpoint')?.trim() || script.src, pageUrl);
  return endpoint ? { siteKey, endpoint } : null;
}

function httpOrigin(url: string, base: string): string | null {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}
