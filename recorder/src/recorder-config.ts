// Reads the recorder's configuration from its own <script> tag.

export interface RecorderConfig {
  siteKey: string;
  /** Origin batches are posted to, without a trailing slash. */
  endpoint: string;
  /** data-mask-text="all": every text on the page is recorded as asterisks, not only marked elements'. */
  maskAllText?: boolean;
  /** data-consent="required": nothing is recorded, stored or sent before frictionlens.consent(true). */
  consentRequired?: boolean;
  /**
   * data-respect-gpc, on unless "false": no recording when the browser sends Global Privacy Control.
   * On by default because only people who chose it send it, and laws such as California's and
   * Colorado's treat it as a valid opt-out; a site with its own legal basis can turn it off.
   */
  respectGpc?: boolean;
  /** data-sample-rate, 0..1: share of sessions recorded, drawn once per session. Default 1. */
  sampleRate?: number;
  /** data-min-duration-ms: a session shorter than this sends nothing; its batches wait until it has lasted that long. */
  minDurationMs?: number;
}

/**
 * 0: every session is kept. A visitor who leaves within seconds is often the friction a team is
 * looking for (a broken page, a slow first paint); sites that only want longer visits opt in.
 */
export const DEFAULT_MIN_DURATION_MS = 0;

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

/** Why a page records nothing, told once on the console: a site owner setting up the tag needs to know. */
export const CONFIG_PROBLEMS = {
  noScript: 'not recording: no script tag with data-key found',
  noKey: 'not recording: no site key (data-key, or key in init())',
  badEndpoint: 'not recording: the endpoint is not http(s) (data-endpoint, or endpoint in init())',
} as const;

/**
 * Null means "stay inert": no tag, no data-key, or no usable http(s) endpoint; `warn` is told
 * which. The endpoint is the script's own origin unless data-endpoint names another one; only
 * the origin is kept, since the ingest path is fixed by the wire format.
 */
export function readRecorderConfig(
  script: ScriptLike | null,
  pageUrl: string,
  warn: (problem: string) => void = () => {},
): RecorderConfig | null {
  if (!script) return warn(CONFIG_PROBLEMS.noScript), null;
  const siteKey = script.getAttribute('data-key')?.trim();
  if (!siteKey) return warn(CONFIG_PROBLEMS.noKey), null;
  const endpoint = httpOrigin(script.getAttribute('data-endpoint')?.trim() || script.src, pageUrl);
  if (!endpoint) return warn(CONFIG_PROBLEMS.badEndpoint), null;
  return {
    siteKey,
    endpoint,
    maskAllText: script.getAttribute('data-mask-text') === 'all',
    consentRequired: script.getAttribute('data-consent') === 'required',
    respectGpc: script.getAttribute('data-respect-gpc') !== 'false',
    sampleRate: readNumber(script, 'data-sample-rate', 1, 1),
    minDurationMs: readNumber(script, 'data-min-duration-ms', DEFAULT_MIN_DURATION_MS, Infinity),
  };
}

/** A number attribute, capped at max; the fallback when absent, negative or not a number ("50%"). */
function readNumber(script: ScriptLike, name: string, fallback: number, max: number): number {
  const value = Number(script.getAttribute(name) || NaN);
  return value >= 0 ? Math.min(value, max) : fallback;
}

function httpOrigin(url: string, base: string): string | null {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}
