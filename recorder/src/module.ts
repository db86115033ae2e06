// ES module entry for bundlers: init(options) starts recording; the other exports are window.frictionlens's functions.
import type { FrictionlensApi } from './public-api';
import { readRecorderConfig } from './recorder-config';
import type { FlatProps } from './sanitize-props';
import { installFrictionlens, warnOnConsole } from './start-frictionlens';

export type { FrictionlensApi } from './public-api';

/** The script tag's data- attributes, as options. */
export interface InitOptions {
  /** The site key (data-key). */
  key: string;
  /** Origin of the frictionlens server, e.g. "https://replay.example.com" (data-endpoint). */
  endpoint: string;
  /** "all" masks all page text (data-mask-text="all"). */
  maskText?: 'all';
  /** "required": nothing is recorded before consent(true) (data-consent="required"). */
  consent?: 'required';
  /** false records even when the browser sends Global Privacy Control (data-respect-gpc="false"). */
  respectGpc?: boolean;
  /** Share of sessions recorded, 0 to 1, drawn once per session (data-sample-rate). Default 1. */
  sampleRate?: number;
  /** A session shorter than this sends nothing (data-min-duration-ms). Default 0. */
  minDurationMs?: number;
}

let api: FrictionlensApi | null = null;

/**
 * Starts recording this page; returns the API, or null where the page cannot record (bad
 * options, no window, a frame of a page that records already). A second call returns the first
 * API, as does a call on a page where the script tag already installed one.
 */
export function init(options: InitOptions): FrictionlensApi | null {
  try {
    if (api || typeof window === 'undefined') return api;
    const attributes: Record<string, string | undefined> = {
      'data-key': options.key,
      'data-mask-text': options.maskText,
      'data-consent': options.consent,
      'data-respect-gpc': options.respectGpc === false ? 'false' : undefined,
      'data-sample-rate': numberAttribute(options.sampleRate),
      'data-min-duration-ms': numberAttribute(options.minDurationMs),
    };
    const script = { src: options.endpoint, getAttribute: (name: string) => attributes[name] ?? null };
    return (api = installFrictionlens(window, () => readRecorderConfig(script, location.href, warnOnConsole)));
  } catch {
    return null;
  }
}

/** Read back as the tag's attribute would be: a value that is not a number falls back to the default. */
const numberAttribute = (value: unknown): string | undefined => (typeof value === 'number' ? String(value) : undefined);

// Each does nothing (or returns null) before init(); none throws.
export const identify = (userId: string, traits?: FlatProps): void => api?.identify(userId, traits);
export const track = (name: string, props?: FlatProps): void => api?.track(name, props);
export const consent = (granted: boolean): void => api?.consent(granted);
export const stop = (): void => api?.stop();
export const start = (): void => api?.start();
export const getSessionId = (): string | null => api?.getSessionId() ?? null;
export const getReplayUrl = (): string | null => api?.getReplayUrl() ?? null;
