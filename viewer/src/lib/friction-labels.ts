// How the viewer names and colours each friction type, in badges, filters and the overview.
import type { FrictionType, HeatmapKind } from './contract';

export interface FrictionLabel {
  /** Plural noun for counts and headings: "Rage clicks". */
  plural: string;
  /** One word for a badge: "Rage". */
  short: string;
  /** Singular, for a count of one. */
  singular: string;
  /** Text-safe colour on white (WCAG AA contrast for small text), each a different hue so chart lines tell apart. */
  color: string;
  /** Which clicks the page's heatmap shows for this type. */
  heatmapKind: HeatmapKind;
}

export const FRICTION_LABELS: Record<FrictionType, FrictionLabel> = {
  rage_click: { plural: 'Rage clicks', short: 'Rage', singular: 'rage click', color: '#c01048', heatmapKind: 'rage' },
  dead_click: { plural: 'Dead clicks', short: 'Dead', singular: 'dead click', color: '#b54708', heatmapKind: 'dead' },
  form_abandonment: { plural: 'Abandoned forms', short: 'Form', singular: 'abandoned form', color: '#6941c6', heatmapKind: 'all' },
  error_loop: { plural: 'Error loops', short: 'Error', singular: 'error loop', color: '#0e7090', heatmapKind: 'error' },
};

/** "2 rage clicks", "1 abandoned form". */
export function frictionCount(type: FrictionType, count: number): string {
  const { singular, plural } = FRICTION_LABELS[type];
  return `${count} ${count === 1 ? singular : plural.toLowerCase()}`;
}
