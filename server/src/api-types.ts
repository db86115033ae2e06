// Shapes of the HTTP API's responses: the contract the viewer and other clients read.

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

/** GET /api/sessions?site=ID[&limit=N][&before=CURSOR], 200, newest first. */
export interface SessionList {
  sessions: SessionSummary[];
  /** Pass as `before` to get the next page; null when there is none. */
  nextCursor: string | null;
}
