// Validates the body of PATCH /api/sites/:id: the site's heatmap URL patterns and its retention period.
import { z } from 'zod';
import { MAX_URL_PATTERN_LENGTH, MAX_URL_PATTERNS, URL_PATTERN_SYNTAX } from '../heatmaps/url-pattern';
import { MAX_RETENTION_DAYS } from '../retention/retention-period';

export const siteSettingsInput = z.object({
  urlPatterns: z
    .array(
      z
        .string()
        .trim()
        .max(MAX_URL_PATTERN_LENGTH)
        .regex(URL_PATTERN_SYNTAX, 'must be a path starting with "/", such as /product/*, with * for one path segment and ** for several')
        .refine((pattern) => pattern.includes('*'), 'must contain * (a pattern without one merges nothing)'),
    )
    .max(MAX_URL_PATTERNS)
    .transform((patterns) => [...new Set(patterns)])
    .optional(),
  /** Whole days, or null to keep sessions until they are deleted. */
  retentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS).nullable().optional(),
}).refine((settings) => settings.urlPatterns !== undefined || settings.retentionDays !== undefined, 'give urlPatterns or retentionDays');
