// Turns a User-Agent header into browser, OS and device for a new session, remembering recent answers.
import UAParser from 'ua-parser-js';

export interface DeviceInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  /** ua-parser's device type, or 'desktop' when it reports none (it only names non-desktop types). */
  device: string;
}

/** Visitors of one site share few distinct UA strings; parsing one costs ~50 µs of regexes. */
export const USER_AGENT_CACHE_SIZE = 500;

const UNKNOWN: DeviceInfo = { browser: null, browserVersion: null, os: null, device: 'desktop' };
const cache = new Map<string, DeviceInfo>();

export function parseUserAgent(userAgent: string | undefined | null): DeviceInfo {
  if (!userAgent) return UNKNOWN;
  const cached = cache.get(userAgent);
  if (cached) return cached;
  const result = new UAParser(userAgent).getResult();
  const info: DeviceInfo = {
    browser: result.browser.name ?? null,
    browserVersion: result.browser.version ?? null,
    os: result.os.name ?? null,
    device: result.device.type ?? 'desktop',
  };
  // Map keeps insertion order, so the first key is the oldest entry.
  if (cache.size >= USER_AGENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(userAgent, info);
  return info;
}
