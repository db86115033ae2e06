// Ranks friction opportunities by the goal conversions they are associated with losing; pure over a report's rows.
import { normalizePageUrl } from '../analysis/normalize-page-url';
import type { ConversionRate, FrictionType, Opportunity, ReplayMoment } from '../api-types';
import { heatmapPageKey } from '../heatmaps/url-pattern';
import type { ReportFriction, ReportSession, ReportVisit } from '../repos/conversion-queries-repo';
import { MAX_OPPORTUNITIES, MIN_SAMPLE_SESSIONS } from './conversion-thresholds';
import { newcombeInterval } from './newcombe-interval';
import { replayMoment } from './replay-moment';

export interface ImpactInput {
  sessions: readonly ReportSession[];
  visits: readonly ReportVisit[];
  friction: readonly ReportFriction[];
  /** The site's URL patterns, which merge pages of one template ("/product/*"). */
  urlPatterns: readonly string[];
  minSample?: number;
}

export interface OpportunityKey {
  type: FrictionType;
  page: string;
  target: string | null;
  field: string | null;
}

interface Group extends OpportunityKey {
  label: string | null;
  /** Affected session id → its first flag of the opportunity. */
  affected: Map<string, number>;
}

type Details = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** What makes two flags the same opportunity: type, page (or the pattern it falls under), and target. */
export function opportunityOf(flag: ReportFriction, pageKey: (path: string) => string): OpportunityKey & { label: string | null } {
  const details = JSON.parse(flag.details) as Details;
  const page = pageKey(flag.path);
  switch (flag.type) {
    case 'form_abandonment':
      return { type: flag.type, page, target: text(details.form) ?? flag.selector, field: text(details.dropOffField), label: text(details.dropOffLabel) };
    case 'error_loop': {
      const trigger = text(details.trigger);
      return { type: flag.type, page, target: trigger ?? text(details.error), field: null, label: trigger ? text(details.error) : null };
    }
    default:
      return { type: flag.type, page, target: flag.selector, field: null, label: text(details.targetText) };
  }
}

const keyString = (key: OpportunityKey) => JSON.stringify([key.type, key.page, key.target, key.field]);
const rate = (sessions: number, conversions: number): ConversionRate => ({ sessions, conversions, rate: sessions ? conversions / sessions : null });

/** The page an opportunity or a visit counts under: the URL's path, or the site's URL pattern it falls under. */
export function pageKeyOf(urlPatterns: readonly string[]): (url: string) => string {
  const keys = new Map<string, string>();
  return (url) => {
    let key = keys.get(url);
    if (key === undefined) keys.set(url, (key = heatmapPageKey(normalizePageUrl(url), urlPatterns)));
    return key;
  };
}

function group(input: ImpactInput) {
  const sessions = new Map(input.sessions.map((session) => [session.id, session]));
  const pageKey = pageKeyOf(input.urlPatterns);
  const reached = new Map<string, Set<string>>();
  const reach = (page: string, sessionId: string) => {
    let set = reached.get(page);
    if (!set) reached.set(page, (set = new Set()));
    set.add(sessionId);
  };
  for (const visit of input.visits) if (sessions.has(visit.sessionId)) reach(pageKey(visit.url), visit.sessionId);
  const groups = new Map<string, Group>();
  for (const flag of input.friction) {
    if (!sessions.has(flag.sessionId)) continue;
    const { label, ...key } = opportunityOf(flag, pageKey);
    const id = keyString(key);
    let entry = groups.get(id);
    if (!entry) groups.set(id, (entry = { ...key, label, affected: new Map() }));
    entry.label ??= label;
    if (!entry.affected.has(flag.sessionId)) entry.affected.set(flag.sessionId, flag.ts);
    // A flag is raised on a page the session was on, even where its visit was not kept.
    reach(key.page, flag.sessionId);
  }
  return { sessions, reached, groups };
}

/** One opportunity's counts: its affected sessions, and every session that reached its page (affected or not). */
export interface OpportunityCounts extends OpportunityKey {
  label: string | null;
  affected: { sessions: number; conversions: number };
  reached: { sessions: number; conversions: number };
}

/**
 * For each opportunity: the affected sessions' conversion rate against that of the sessions that
 * reached the same page without it; difference = comparable - affected with Newcombe's interval;
 * lost conversions = affected × difference where it is positive. Ranked: estimated losses largest
 * first, then opportunities without enough data (most affected first), then those with no loss.
 */
export function rankOpportunities(input: ImpactInput): Opportunity[] {
  const { sessions, reached, groups } = group(input);
  const convertedOnPage = new Map<string, number>();
  for (const [page, ids] of reached) {
    let converted = 0;
    for (const id of ids) if (sessions.get(id)!.converted) converted++;
    convertedOnPage.set(page, converted);
  }
  const counts = [...groups.values()].map(({ affected, ...key }): OpportunityCounts => {
    let conversions = 0;
    for (const id of affected.keys()) if (sessions.get(id)!.converted) conversions++;
    return { ...key, affected: { sessions: affected.size, conversions }, reached: { sessions: reached.get(key.page)!.size, conversions: convertedOnPage.get(key.page)! } };
  });
  return rankOpportunityCounts(counts, input.minSample);
}

/** The ranking from each opportunity's counts (see rankOpportunities); the counts may come from SQL. */
export function rankOpportunityCounts(counts: readonly OpportunityCounts[], minSample = MIN_SAMPLE_SESSIONS): Opportunity[] {
  const ranked = counts.map((entry): Opportunity => {
    const nA = entry.affected.sessions;
    const xA = entry.affected.conversions;
    const nC = entry.reached.sessions - nA;
    const xC = entry.reached.conversions - xA;
    const base = { type: entry.type, page: entry.page, target: entry.target, field: entry.field, label: entry.label, affected: rate(nA, xA), comparable: rate(nC, xC) };
    if (nA < minSample || nC < minSample) return { ...base, status: 'not_enough_data', difference: null, lostConversions: null };
    const difference = newcombeInterval(xC, nC, xA, nA);
    if (difference.estimate <= 0) return { ...base, status: 'no_loss', difference, lostConversions: null };
    const lostConversions = { estimate: nA * difference.estimate, low: Math.max(0, nA * difference.low), high: Math.max(0, nA * difference.high) };
    return { ...base, status: 'estimate', difference, lostConversions };
  });
  const order = { estimate: 0, not_enough_data: 1, no_loss: 2 };
  return ranked
    .sort(
      (a, b) =>
        order[a.status] - order[b.status] ||
        (b.lostConversions?.estimate ?? 0) - (a.lostConversions?.estimate ?? 0) ||
        b.affected.sessions - a.affected.sessions ||
        keyString(a).localeCompare(keyString(b)),
    )
    .slice(0, MAX_OPPORTUNITIES);
}

/** The sessions affected by one opportunity, latest first, each opening at its first flag of it. */
export function opportunitySessions(input: ImpactInput, key: OpportunityKey): ReplayMoment[] {
  const { sessions, groups } = group(input);
  const entry = groups.get(keyString(key));
  if (!entry) return [];
  return [...entry.affected]
    .map(([id, ts]) => {
      const session = sessions.get(id)!;
      return replayMoment(session, ts, session.converted);
    })
    .sort((a, b) => b.ts - a.ts || a.sessionId.localeCompare(b.sessionId));
}
