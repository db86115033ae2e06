// The SQL both backends share for reading a friction flag as a conversion opportunity: its target, field and label, and the ranking over them.

/** Reads one string detail of the flag `f` as SQL, NULL when it is missing, not a string or empty: each backend's own JSON accessors. */
export type DetailText = (key: string) => string;

/** `target`, `field` and `label` of flag `f`, as opportunityOf reads them: select-list columns. */
export function opportunityColumns(text: DetailText): string {
  return `CASE f.type WHEN 'form_abandonment' THEN coalesce(${text('form')}, f.selector)
                 WHEN 'error_loop' THEN coalesce(${text('trigger')}, ${text('error')})
                 ELSE f.selector END AS target,
     CASE f.type WHEN 'form_abandonment' THEN ${text('dropOffField')} END AS field,
     CASE f.type WHEN 'form_abandonment' THEN ${text('dropOffLabel')}
                 WHEN 'error_loop' THEN CASE WHEN ${text('trigger')} IS NOT NULL THEN ${text('error')} END
                 ELSE ${text('targetText')} END AS label`;
}

/**
 * Over a `flags` CTE (session_id, id, ts, type, page, converted and the columns above): one row per
 * opportunity, its label the first non-empty one in flag order (ts, id), as the ranking keeps it.
 */
export const OPPORTUNITY_RANKING = `ranked AS (SELECT *, row_number() OVER (PARTITION BY type, page, target, field, label IS NULL ORDER BY ts, id) AS nth FROM flags)
   SELECT type, page, target, field, max(CASE WHEN nth = 1 THEN label END) AS label,
     count(DISTINCT session_id) AS sessions, count(DISTINCT CASE WHEN converted THEN session_id END) AS conversions
   FROM ranked GROUP BY type, page, target, field`;
