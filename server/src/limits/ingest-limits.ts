// The ingest route's rate limits and the hourly cap on new sessions per site, behind one interface.
import { createSessionAdmissions } from './session-admissions';
import { createTokenBuckets, type TokenBuckets } from './token-buckets';

/**
 * What ingest asks before doing work for a request. Each answer is 0 (go on) or the ms until
 * asking again can succeed. This implementation counts in the process's memory, so each server
 * process limits on its own and a restart starts afresh; a multi-node deployment implements the
 * same three questions over shared rows.
 */
export interface IngestLimits {
  /** One request from a client address; null when the address is unknown (then not limited). */
  takeAddress(address: string | null, now: number): number;
  /** One request for a site, by its id. */
  takeSite(siteId: string, now: number): number;
  /** A session new to the database: counted against the site's hourly cap. */
  admitSession(siteId: string, sessionId: string, now: number): number;
}

export interface IngestLimitsConfig {
  /** Requests per second one site may send, sustained; BURST_SECONDS of it may come at once. */
  sitePerSecond: number;
  /** Requests per second from one client address (an IPv6 /64), sustained. */
  addressPerSecond: number;
  /** New sessions one site may start per UTC hour. */
  sessionsPerSiteHour: number;
}

/**
 * Defaults sized for one server. A recorder posts once every 5 s per open tab, so 2,000 requests
 * per second is a site with about 10,000 visitors on it at once, about a third of what one node
 * stores (README, bench:ingest). 50 per second lets an office or a mobile carrier's NAT share an
 * address; a single tab catching up after an outage posts its queue one request at a time.
 */
export const DEFAULT_INGEST_LIMITS: IngestLimitsConfig = {
  sitePerSecond: 2000,
  addressPerSecond: 50,
  sessionsPerSiteHour: 20_000,
};
/** A bucket holds this many seconds of its rate, so a burst after a quiet spell passes. */
export const BURST_SECONDS = 5;

/** No limit at all: for tests and benches that build the app directly. */
export const UNLIMITED: IngestLimits = { takeAddress: () => 0, takeSite: () => 0, admitSession: () => 0 };

/** Buckets for one limit: `perSecond` sustained, BURST_SECONDS of it at once. */
export const rateBuckets = (perSecond: number): TokenBuckets =>
  createTokenBuckets({ perSecond, burst: Math.max(1, Math.ceil(perSecond * BURST_SECONDS)) });

export function createMemoryIngestLimits(config: IngestLimitsConfig = DEFAULT_INGEST_LIMITS): IngestLimits {
  const addresses = rateBuckets(config.addressPerSecond);
  const sites = rateBuckets(config.sitePerSecond);
  const admissions = createSessionAdmissions(config.sessionsPerSiteHour);
  return {
    takeAddress: (address, now) => (address === null ? 0 : addresses.take(address, now)),
    takeSite: (siteId, now) => sites.take(siteId, now),
    admitSession: (siteId, sessionId, now) => admissions.admit(siteId, sessionId, now),
  };
}
