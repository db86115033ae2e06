// Shapes of the HTTP API's responses: the contract the viewer and other clients read.
import type { eventWithTime } from '@rrweb/types';

/** Every error response has this body. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_batch'
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'unsupported_version'
  | 'bad_compression'
  | 'payload_too_large'
  | 'unknown_site_key'
  | 'origin_not_allowed'
  | 'session_conflict'
  | 'session_limit'
  | 'site_session_limit'
  | 'rate_limited'
  | 'timestamp_out_of_range'
  | 'unavailable'
  | 'unauthorized'
  | 'not_found'
  | 'internal';

/** POST /api/ingest, 200. `duplicate` is true when (sessionId, seq) was already stored. */
export interface IngestResponse {
  stored: boolean;
  duplicate: boolean;
}

export interface Site {
  id: string;
  name: string;
  /** Origins allowed to ingest; the special value "self" means this server's own origin. */
  origins: string[];
  /** Write-only site key used in the script tag. */
  key: string;
  createdAt: number;
  /** Path patterns ("/product/*") merging pages that share a template in heatmaps; see PATCH /api/sites/:id. */
  urlPatterns: string[];
  /** Days a session is kept after its last batch arrived, then deleted with all derived from it; null keeps sessions until deleted. */
  retentionDays: number | null;
}

/** POST /api/sites, 201. */
export interface CreatedSite {
  id: string;
  key: string;
}

/** GET /api/sites, 200. */
export interface SiteList {
  sites: Site[];
}

export interface SessionSummary {
  id: string;
  siteId: string;
  /** Timestamp of the first event, ms since epoch (client clock). */
  startedAt: number;
  /** Timestamp of the last event received so far. */
  endedAt: number;
  durationMs: number;
  pageCount: number;
  eventCount: number;
  entryUrl: string;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  /** 'desktop', 'mobile', 'tablet', … as reported by the user-agent parser. */
  device: string;
  /** Friction flags per type, as of the last analysis of the session. */
  friction: Record<FrictionType, number>;
  /** Ranks sessions by how much their visitor struggled; see frustration-score.ts. 0 without friction. */
  frustrationScore: number;
  /** Uncaught errors recorded in the session. */
  errorCount: number;
  /** The id the site passed to frictionlens.identify(), when it did. */
  userId: string | null;
  /** Server clock (ms) when the session was marked watched (opening its replay does); null when unwatched. */
  watchedAt: number | null;
  /** When the first flag of each type the session has was raised, ms since epoch (client clock): where its replay opens. */
  firstFrictionAt: Partial<Record<FrictionType, number>>;
}

export interface PageSummary {
  id: string;
  url: string;
  startedAt: number;
}

/** GET /api/sessions/:id, 200. */
export interface SessionDetail extends SessionSummary {
  pages: PageSummary[];
}

/** Orders of the session list: newest first, longest first, or most frustrated first. */
export const SESSION_SORTS = ['newest', 'longest', 'score'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];
/** Device classes the session list filters on (the user-agent parser's types; other rare types match none). */
export const SESSION_DEVICE_CLASSES = ['desktop', 'tablet', 'mobile'] as const;
export type SessionDeviceClass = (typeof SESSION_DEVICE_CLASSES)[number];

/** GET /api/sessions?site=ID[&sort=][&limit=N][&before=CURSOR][&filters…], 200, in the sort's order. */
export interface SessionList {
  sessions: SessionSummary[];
  /** Pass as `before`, with the same sort and filters, to get the next page; null when there is none. */
  nextCursor: string | null;
}

/** PUT or DELETE /api/sessions/:id/watched, 200. */
export interface WatchedMark {
  id: string;
  watchedAt: number | null;
}

/** One stored batch of a session, as the replay loader plans its requests. */
export interface BatchSummary {
  /** The session's order: batches are replayed by seq, whatever order they arrived in. */
  seq: number;
  pageId: string;
  /** Timestamps of the batch's first and last event, ms since epoch (client clock). */
  firstTs: number;
  lastTs: number;
  eventCount: number;
  /** Size of the stored gzip body, as GET /api/sessions/:id/batches/data sends it. */
  bytes: number;
  /**
   * Time of the batch's first Meta event with a full snapshot after it (a page load, or a periodic
   * snapshot): a replay of any later moment can start from this batch. Null when it holds none, and
   * for batches stored before this was kept that were never analysed.
   */
  snapshotTs: number | null;
}

/** GET /api/sessions/:id/batches[?from=SEQ], 200: batches with seq >= from, in seq order. */
export interface SessionBatchList {
  batches: BatchSummary[];
  /** Pass as `from` for the rest; null when this is the last of them. */
  nextFrom: number | null;
}

/**
 * GET /api/sessions/:id/batches/data?from=SEQ&to=SEQ, 200, with this Content-Type: the stored batches
 * with from <= seq <= to in seq order, as far as one response's byte budget goes (at least one), each
 * as a frame: BATCH_FRAME_HEADER_BYTES of header (seq as a big-endian float64, then the body's length
 * as a big-endian uint32) and the batch's gzip body exactly as stored. Inflated, a body is the batch's
 * JSON as the recorder sent it ({"v":1,…,"events":[…]}). With ?at=MS (ms from the session's first
 * batch) instead of from/to: the batches that moment needs, from the last full snapshot before it.
 */
export const BATCH_FRAMES_CONTENT_TYPE = 'application/vnd.frictionlens.batch-frames';
export const BATCH_FRAME_HEADER_BYTES = 12;

/** The friction detectors, by the name the API and the viewer use. */
export const FRICTION_TYPES = ['rage_click', 'dead_click', 'form_abandonment', 'error_loop'] as const;
export type FrictionType = (typeof FRICTION_TYPES)[number];

/** Several fast clicks on one spot where the clicks did not each visibly do something. */
export interface RageClickDetails {
  clicks: number;
  durationMs: number;
  /** Time of each click, ms since epoch. */
  clickTimes: number[];
  /** Text or name of what was clicked, when the recorder could read it. */
  targetText?: string;
  /** How many of the clicks were followed by a change on the page before the next one. */
  clicksWithEffect: number;
  /** The control was disabled (or aria-disabled) when pressed. */
  disabled?: true;
}

/** A click after which nothing happened within the window. */
export interface DeadClickDetails {
  windowMs: number;
  targetText?: string;
  /** The control was disabled (or aria-disabled) when pressed. */
  disabled?: true;
  /** The kinds of response looked for after the click and not found. */
  lookedFor: string[];
  /** Time of each press judged together (a second press on the same control under 1 s later joins the first), ms since epoch. */
  clickTimes?: number[];
  /** Changes seen in the window that were set aside as the page's background (a ticking clock, an autoplaying carousel). */
  backgroundChanges?: number;
}

export interface FieldValidationError {
  field: string;
  label?: string;
  message: string;
}

/** A form the visitor started and left without a submit that went through. */
export interface FormAbandonmentDetails {
  /** Selector of the form; for fields outside any form, their closest common ancestor ('' when none). */
  form: string;
  /** The fields were not in a <form>: those of one page view are taken together. */
  outsideForm?: true;
  /** Field selectors in the order they were first touched. */
  fieldsTouched: string[];
  /** The last field touched: where the visitor gave up. */
  dropOffField: string | null;
  dropOffLabel?: string;
  /** From the first touch of the form to the end of the page (or the route change). */
  timeSpentMs: number;
  validationErrors: FieldValidationError[];
  /** Fields that were filled and then left empty. */
  clearedFields: string[];
  /** Submits the browser or the site blocked. */
  blockedSubmits: number;
  /** How the visitor left: the page load ended, the app changed route, or the session went idle. */
  ending: 'left-page' | 'route-change' | 'session-ended';
}

/** The visitor stuck in a loop of the same error or the same failed request. */
export interface ErrorLoopDetails {
  /** A repeated JavaScript error, or the same action followed by the same error or failed request. */
  pattern: 'repeated-error' | 'action-error';
  count: number;
  /** Normalised error message, or the failed request as "METHOD url → status". */
  error: string;
  source?: string;
  /** Selector of the action's target (a click or a form submit) when one triggered each occurrence. */
  trigger?: string;
  firstTs: number;
  lastTs: number;
}

interface FrictionOf<T extends FrictionType, D> {
  type: T;
  /** The moment to open the replay at, ms since epoch (client clock). */
  ts: number;
  pageId: string;
  /** The page's URL at that moment. */
  url: string;
  /** The element it happened on, when there is one. */
  selector: string | null;
  /** One plain sentence saying what was seen. */
  reason: string;
  details: D;
}

export type FrictionFlag =
  | FrictionOf<'rage_click', RageClickDetails>
  | FrictionOf<'dead_click', DeadClickDetails>
  | FrictionOf<'form_abandonment', FormAbandonmentDetails>
  | FrictionOf<'error_loop', ErrorLoopDetails>;

/** GET /api/sessions/:id/friction, 200, in time order. */
export interface SessionFriction {
  friction: FrictionFlag[];
}

/** What a session timeline lists: page views, clicks, uncaught errors, failed requests and friction flags. */
export const TIMELINE_KINDS = ['page', 'click', 'error', 'request', 'friction'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

interface TimelineEntryOf<K extends TimelineKind> {
  kind: K;
  /** ms since epoch (client clock). */
  ts: number;
  pageId: string;
}

export type TimelineEntry =
  /** A page load, or a single-page app's route change (trigger other than 'load'). */
  | (TimelineEntryOf<'page'> & { url: string; title: string | null; trigger: 'load' | 'push-state' | 'replace-state' | 'popstate' | 'hashchange' })
  /** text: what was pressed as the recorder read it (none in masked parts and for fields); target: its kind ('button', 'a', 'input:text'…). */
  | (TimelineEntryOf<'click'> & { selector: string; text: string | null; target: string | null })
  | (TimelineEntryOf<'error'> & { message: string; source: string | null; errorKind: 'error' | 'unhandled-rejection' })
  /** A fetch or XHR answered with status >= 400, or status 0 for a network error; ts is when it ended. */
  | (TimelineEntryOf<'request'> & { method: string; url: string; status: number; durationMs: number })
  | (TimelineEntryOf<'friction'> & { type: FrictionType; reason: string; selector: string | null; url: string });

/** GET /api/sessions/:id/timeline[?limit=N], 200: the entries in time order. */
export interface SessionTimeline {
  entries: TimelineEntry[];
  /** At most this many entries of each kind are sent: the first ones in time order. */
  limit: number;
  /** Entries of each kind left out past the limit. */
  omitted: Record<TimelineKind, number>;
  /**
   * Stored batches the analysis pass has not read yet: their clicks, errors, requests, route changes
   * and friction are not listed yet (page loads always are).
   */
  pendingBatches: number;
}

export interface FrictionCountRow {
  count: number;
  /** Sessions with at least one such flag. */
  sessions: number;
}

/** GET /api/friction/summary?site=ID&from=&to=, 200. */
export interface FrictionSummary {
  from: number;
  to: number;
  byType: Record<FrictionType, FrictionCountRow>;
  /** Pages by path (query and fragment dropped), most friction first. */
  byPage: Array<FrictionCountRow & { url: string; byType: Record<FrictionType, number> }>;
  /** Elements, most friction first. */
  byTarget: Array<FrictionCountRow & { type: FrictionType; url: string; selector: string | null; text: string | null }>;
}

/** GET /api/friction/timeseries?site=ID&from=&to=, 200: flags per type in each UTC day (hour for short ranges), zeros included. */
export interface FrictionTimeseries {
  from: number;
  to: number;
  bucket: 'hour' | 'day';
  /** Start of each bucket, ms since epoch, oldest first; the first is `from` rounded down to a whole bucket. */
  buckets: Array<{ start: number; counts: Record<FrictionType, number> }>;
}

/** Heatmap device classes by viewport width: mobile under 768 px, tablet under 1024 px, desktop otherwise. */
export const HEATMAP_DEVICES = ['desktop', 'tablet', 'mobile'] as const;
export type HeatmapDevice = (typeof HEATMAP_DEVICES)[number];
/** Which clicks a heatmap shows: all, or those judged rage, dead or error clicks. */
export const HEATMAP_KINDS = ['all', 'rage', 'dead', 'error'] as const;
export type HeatmapKind = (typeof HEATMAP_KINDS)[number];

/** Clicks on one element at one binned place inside its box. */
export interface HeatmapCell {
  /** Index into HeatmapData.selectors. */
  s: number;
  /** Centre of the bin inside the element's box, as fractions of its width and height. */
  fx: number;
  fy: number;
  /** Clicks of the requested kind. */
  n: number;
  /** Where to draw them when the element is not on the snapshot: mean x as a fraction of the viewport's width, mean y in page px (in viewport px for fixed targets). */
  x: number;
  y: number;
  /** Most of them were on a fixed or sticky target. */
  fixed: boolean;
}

/** GET /api/heatmap?site=ID&url=URL&device=&kind=&from=&to=, 200. */
export interface HeatmapData {
  /** The heatmap page: the URL without query or fragment, or the site's pattern it falls under. */
  url: string;
  device: HeatmapDevice;
  kind: HeatmapKind;
  /** Range covered, widened to whole UTC days; null for all time. */
  from: number | null;
  to: number | null;
  /** Clicks of the kind in the range. */
  total: number;
  selectors: string[];
  cells: HeatmapCell[];
}

/** A page in the heatmap page picker. */
export interface HeatmapPage {
  url: string;
  /** The page is a site URL pattern merging several recorded paths. */
  pattern: boolean;
  clicks: number;
  rageClicks: number;
  deadClicks: number;
  errorClicks: number;
  /** Friction flags of every type raised on the page. */
  friction: number;
}

/** GET /api/heatmap/pages?site=ID[&device=][&sort=clicks|friction][&from=&to=], 200. */
export interface HeatmapPageList {
  pages: HeatmapPage[];
}

export interface HeatmapElement {
  selector: string;
  /** What was pressed, e.g. 'button "Place order"', when the recorder could tell. */
  label: string | null;
  clicks: number;
  rageClicks: number;
  deadClicks: number;
  errorClicks: number;
}

/** GET /api/heatmap/elements?site=&url=&device=&kind=&from=&to=, 200: most clicked first. */
export interface HeatmapElementList {
  total: number;
  elements: HeatmapElement[];
}

/** A session that clicked an element, with where to open its replay. */
export interface HeatmapElementSession {
  sessionId: string;
  /** The session's first click on the element in the range, ms since epoch. */
  clickTs: number;
  /** That click's offset from the start of the session's replay: the viewer's ?t=. */
  atMs: number;
  clicks: number;
  rageClicks: number;
  deadClicks: number;
  errorClicks: number;
}

/** GET /api/heatmap/element-sessions?site=&url=&device=&selector=&kind=&from=&to=, 200: latest first. */
export interface HeatmapElementSessionList {
  sessions: HeatmapElementSession[];
}

/** GET /api/heatmap/scroll?site=&url=&device=&from=&to=, 200. */
export interface HeatmapScroll {
  /** Page views with a scroll depth. */
  views: number;
  /** For each depth (fraction of the document's height, 0 to 1 in 0.05 steps), the share of views that reached it. */
  steps: Array<{ depth: number; reached: number }>;
  /** The average fold: viewport height as a fraction of the document's height, and in px. Null without views. */
  averageFold: number | null;
  averageFoldPx: number | null;
}

/** GET /api/heatmap/snapshot?site=&url=&device=, 200: one recorded page load to draw the heatmap over. */
export interface HeatmapSnapshot {
  sessionId: string;
  pageId: string;
  /** The recorded page's URL. */
  url: string;
  /** Viewport the load was recorded at. */
  width: number;
  height: number;
  /** The moment the page is taken at (its events end there), ms since epoch. */
  momentTs: number;
  /** Meta, full snapshot and the DOM's changes up to the moment: what rrweb's Replayer rebuilds. */
  events: eventWithTime[];
}

/** What a conversion goal is: a page reached, a tracked event, or a form submitted successfully. */
export const GOAL_KINDS = ['page', 'event', 'form'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

/**
 * A goal's definition. `pattern` is a path pattern ("/checkout/thanks*": `*` is any part of one path
 * segment, `**` any number of segments) matched against the path of each page view; `event` is the
 * name passed to frictionlens.track(); `selector` is the form's selector as recorded (ids and
 * data-testid: "#checkout-form").
 */
export type GoalDefinition =
  | { kind: 'page'; pattern: string }
  | { kind: 'event'; event: string }
  | { kind: 'form'; pattern: string; selector: string };

/** POST /api/sites/:id/goals and PUT /api/goals/:id body. */
export type GoalInput = GoalDefinition & { name: string };

/** The recomputation of a goal's completions over stored sessions, started when it is created or its definition changes. */
export interface GoalJobStatus {
  state: 'pending' | 'running' | 'done' | 'failed';
  /** Sessions computed so far, out of the site's sessions when the job started. */
  done: number;
  total: number;
  finishedAt: number | null;
  error: string | null;
}

export type Goal = GoalInput & {
  id: string;
  siteId: string;
  createdAt: number;
  updatedAt: number;
  job: GoalJobStatus | null;
};

/** DELETE /api/goals/:id and /api/funnels/:id, 200. */
export interface Deleted {
  id: string;
  deleted: true;
}

/** GET /api/sites/:id/goals, 200, oldest first. */
export interface GoalList {
  goals: Goal[];
}

/** A funnel step: a page pattern or a tracked event, as in goals. */
export type FunnelStep = { kind: 'page'; pattern: string } | { kind: 'event'; event: string };

/** POST /api/sites/:id/funnels and PUT /api/funnels/:id body: at least two steps. */
export interface FunnelInput {
  name: string;
  steps: FunnelStep[];
}

export interface Funnel extends FunnelInput {
  id: string;
  siteId: string;
  createdAt: number;
  updatedAt: number;
}

/** GET /api/sites/:id/funnels, 200, oldest first. */
export interface FunnelList {
  funnels: Funnel[];
}

/** Sessions and how many of them converted; rate is null without sessions. */
export interface ConversionRate {
  sessions: number;
  conversions: number;
  rate: number | null;
}

export interface EstimateInterval {
  estimate: number;
  /** 95% interval. */
  low: number;
  high: number;
}

/**
 * estimate: both sides have the minimum sample and comparable sessions convert better, so
 * conversions are estimated lost; no_loss: both sides have the sample, and the affected sessions
 * convert as well or better; not_enough_data: a side is under the minimum sample.
 */
export type OpportunityStatus = 'estimate' | 'no_loss' | 'not_enough_data';

/** A friction type on a page and target, with the goal conversion of the sessions that hit it against comparable sessions. */
export interface Opportunity {
  type: FrictionType;
  /** The page: origin and path, or the site's URL pattern it falls under. */
  page: string;
  /** The element (rage and dead clicks), the form (form abandonment) or the action that triggered the error (error loop; the error itself when none). */
  target: string | null;
  /** Form abandonment: the field visitors left from. */
  field: string | null;
  /** The target's text or the field's label, when recorded. */
  label: string | null;
  /** Sessions with this friction. */
  affected: ConversionRate;
  /** Sessions that reached the same page without it. */
  comparable: ConversionRate;
  status: OpportunityStatus;
  /** Comparable rate minus affected rate with Newcombe's 95% interval; null when not enough data. */
  difference: EstimateInterval | null;
  /** Affected sessions × difference (and × its interval, floored at 0); null unless status is 'estimate'. */
  lostConversions: EstimateInterval | null;
}

export interface SegmentRate extends ConversionRate {
  value: string;
  /** Wilson 95% interval of the rate. */
  low: number;
  high: number;
  /** Converts much worse than the site's average (see README: Conversion impact). */
  worse: boolean;
}

/** GET /api/impact?site=ID&goal=ID&from=&to=, 200: opportunities ranked by estimated lost conversions. */
export interface ImpactReport {
  siteId: string;
  goal: Goal;
  from: number;
  to: number;
  /** Every session started in the range, and how many converted. */
  overall: ConversionRate;
  /** Sessions needed on each side of a comparison before it gives a number. */
  minSample: number;
  opportunities: Opportunity[];
  segments: { device: SegmentRate[]; browser: SegmentRate[]; referrer: SegmentRate[]; utmSource: SegmentRate[] };
}

/** A session to replay, opened a little before the moment that put it in the list. */
export interface ReplayMoment {
  sessionId: string;
  startedAt: number;
  durationMs: number;
  /** The moment: the friction flag, or the funnel step reached, ms since epoch (client clock). */
  ts: number;
  /** Where the replay opens: ms from the session's start, REPLAY_LEAD_MS (3 s) before the moment. The viewer's ?t=. */
  atMs: number;
  /** The session completed the goal (impact), or reached the funnel's last step (funnels). */
  converted: boolean;
}

/** GET /api/impact/sessions?site=&goal=&type=&page=[&target=][&field=]&from=&to=, 200: the affected sessions, latest first. */
export interface ImpactSessionList {
  total: number;
  sessions: ReplayMoment[];
}

export interface FunnelFrictionRow {
  type: FrictionType;
  /** Drop-offs of the step that hit this friction on it, and their share of the drop-offs. */
  dropped: number;
  droppedRate: number;
  /** Sessions that went on to the next step and hit it on this step, and their share. */
  continued: number;
  continuedRate: number;
  /** droppedRate / continuedRate; null when no session that went on hit it. */
  lift: number | null;
}

export interface FunnelStepReport {
  step: FunnelStep;
  /** Sessions that reached this step after the ones before it, in order. */
  reached: number;
  /** Of those, the sessions that went on to the next step; null on the last step. */
  continued: number | null;
  continuedRate: number | null;
  /** Median time from this step to the next among those that went on. */
  medianMsToNext: number | null;
  droppedOff: number;
  /** Friction the drop-offs hit on this step (from reaching it on), by type, most lift first. */
  friction: FunnelFrictionRow[];
}

/** GET /api/funnels/:id/report?from=&to=, 200. */
export interface FunnelReport {
  funnel: Funnel;
  from: number;
  to: number;
  /** Sessions started in the range. */
  sessions: number;
  steps: FunnelStepReport[];
}

/** GET /api/funnels/:id/sessions?step=N&group=reached|continued|dropped[&friction=TYPE]&from=&to=, 200, latest first. */
export interface FunnelSessionList {
  total: number;
  sessions: ReplayMoment[];
}

/** A form on one page, over the sessions started in a report's range (see README: Abandoned forms). */
export interface FormSummary {
  /** The form's selector as recorded (ids and data-testid), e.g. '#checkout-form'. */
  form: string;
  /** Origin and path of the page it is on (no query or fragment). */
  url: string;
  /** Sessions that started it (began filling it in, as the form abandonment detector decides) or submitted it. */
  started: number;
  /** Sessions in which a submit of it went through. */
  submitted: number;
  /** Sessions that started it and never got a submit through: started − submitted. */
  abandoned: number;
  /** abandoned / started. */
  abandonmentRate: number;
}

/** GET /api/forms?site=ID&from=&to=, 200: forms by abandoning sessions, most first. */
export interface FormList {
  from: number;
  to: number;
  forms: FormSummary[];
}

/** One field of a form, over its abandoning sessions. */
export interface FormFieldDropOff {
  field: string;
  /** The field's label as recorded; null when it has none. */
  label: string | null;
  /** Abandoning sessions that touched it. */
  touched: number;
  /** Abandoning sessions whose last touched field it was: where they gave up. */
  lastTouched: number;
  /** Abandoning sessions that saw a validation error on it. */
  errored: number;
  /** The validation message most of those sessions saw, and how many saw it. */
  topMessage: string | null;
  topMessageSessions: number;
}

/** GET /api/forms/drop-off?site=ID&form=SELECTOR&url=URL&from=&to=, 200: the fields most given up at first. */
export interface FormDropOff {
  from: number;
  to: number;
  summary: FormSummary;
  fields: FormFieldDropOff[];
}

/** A session that abandoned the form, with where its replay opens. */
export interface FormAbandonment {
  sessionId: string;
  startedAt: number;
  durationMs: number;
  device: string;
  /** The session's last abandonment of the form: its drop-off field's last signal, ms since epoch (client clock). */
  ts: number;
  /** Where the replay opens: ms from the session's start, 3 s before ts. The viewer's ?t=. */
  atMs: number;
  dropOffField: string | null;
  dropOffLabel: string | null;
  /** A validation message the visitor saw on the drop-off field, when they saw one. */
  dropOffMessage: string | null;
}

/** GET /api/forms/sessions?site=ID&form=&url=[&field=][&limit=][&before=CURSOR]&from=&to=, 200: latest abandonment first. */
export interface FormAbandonmentList {
  /** Abandoning sessions in all (of the field, with field=). */
  total: number;
  sessions: FormAbandonment[];
  /** Pass as `before` for the next page; null on the last. */
  nextCursor: string | null;
}

/** POST /api/auth/session (201) and GET /api/auth/session (200): who the request is signed in as. */
export interface AuthSession {
  signedIn: true;
  /** 'cookie': the viewer's sign-in session; 'bearer': the admin token in the Authorization header. */
  via: 'cookie' | 'bearer';
  /** When the sign-in session ends if unused (ms since epoch, server clock); null for the token. */
  expiresAt: number | null;
}

/** DELETE /api/auth/session, 200. */
export interface SignedOut {
  signedIn: false;
}

/** DELETE /api/sites/:id/users/:userId, 200: every session the user id was identified in, deleted. */
export interface DeletedUserSessions {
  siteId: string;
  userId: string;
  /** Sessions deleted, with everything derived from them. */
  deletedSessions: number;
  /**
   * Batches of the site the analysis has not read yet: a session whose identify call is among them
   * is not known to be the user's yet. Ask again once this is 0 (seconds after ingest).
   */
  pendingBatches: number;
}
