// Finds the recorded pages behind a heatmap page: the URL asked for, or every page its site's URL pattern merges; pure.
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { HeatmapPageRow } from '../repos/heatmap-keys-repo';
import { heatmapPageKey, splitPageUrl } from './url-pattern';

export interface ResolvedHeatmapPage {
  /** The heatmap page: the normalised URL, or origin + the pattern it falls under. */
  url: string;
  pattern: boolean;
  pageRefs: number[];
}

export function resolveHeatmapPage(url: string, patterns: readonly string[], known: readonly HeatmapPageRow[]): ResolvedHeatmapPage {
  const normalized = normalizePageUrl(url);
  const key = heatmapPageKey(normalized, patterns);
  return {
    url: key,
    pattern: patterns.includes(splitPageUrl(key).pathname),
    pageRefs: known.filter((page) => heatmapPageKey(page.path, patterns) === key).map((page) => page.id),
  };
}
