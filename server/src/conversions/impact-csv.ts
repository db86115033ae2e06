// The impact ranking as CSV, one row per opportunity, safe to open in a spreadsheet.
import type { ImpactReport } from '../api-types';

const HEADER = [
  'rank', 'friction_type', 'page', 'target', 'field', 'label', 'status',
  'affected_sessions', 'affected_conversions', 'affected_rate', 'comparable_sessions', 'comparable_conversions', 'comparable_rate',
  'difference', 'difference_low_95', 'difference_high_95', 'lost_conversions', 'lost_low_95', 'lost_high_95',
];

/**
 * RFC 4180 quoting. Text that recorded pages supply (selectors, labels, URLs) could start with
 * = + - @ and run as a formula in a spreadsheet (CSV injection): such cells get a leading '.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function impactCsv(report: ImpactReport): string {
  const rows = report.opportunities.map((o, index) => [
    index + 1, o.type, o.page, o.target, o.field, o.label, o.status,
    o.affected.sessions, o.affected.conversions, o.affected.rate, o.comparable.sessions, o.comparable.conversions, o.comparable.rate,
    o.difference?.estimate ?? null, o.difference?.low ?? null, o.difference?.high ?? null,
    o.lostConversions?.estimate ?? null, o.lostConversions?.low ?? null, o.lostConversions?.high ?? null,
  ]);
  return [HEADER, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
