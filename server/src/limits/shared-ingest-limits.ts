// Ingest limits shared by every node on one database: each node answers from its own counters and trades what it took for what the others took, once a second.
import { BURST_SECONDS, rateBuckets, type IngestLimits, type IngestLimitsConfig } from './ingest-limits';
import { HOUR_MS, createSessionAdmissions } from './session-admissions';

/** What a take counts against: a client address's bucket, a site's bucket, a site's new sessions this hour. */
export type LimitScope = 'address' | 'site' | 'session';

export interface LimitTake {
  scope: LimitScope;
  /** The address, or the site id for the site and session scopes. */
  key: string;
  taken: number;
}

/** A take another node stored, as the store answers it. */
export interface StoredLimitTake extends LimitTake {
  /** Unique per stored row, so a row read twice (the read windows overlap) counts once. */
  id: string;
  /** When that node stored it (its clock, ms). */
  at: number;
}

export interface LimitTakesExchange {
  nodeId: string;
  /** This node's takes since its last exchange, all stored at `now`. */
  takes: LimitTake[];
  now: number;
  /** Other nodes' address and site takes stored after this. */
  since: number;
  /** Other nodes' session takes stored after this (the hour's start on the first exchange). */
  sessionsSince: number;
}

/** The shared rows behind the limits (PostgreSQL: server/src/repos/postgres/pg-limit-takes-repo.ts). */
export interface LimitTakesStore {
  /** Stores this node's takes and answers the other nodes' takes in the windows asked. */
  exchange(exchange: LimitTakesExchange): Promise<StoredLimitTake[]>;
  /** Deletes rows no node needs any more. */
  prune(tokensBefore: number, sessionsBefore: number): Promise<void>;
}

/** How often a node trades takes: how far past a limit all nodes together can go is about this long at the full rate of the other nodes. */
export const LIMIT_SYNC_MS = 1000;
/**
 * Each read starts this long before the previous one, so a row another node committed late (its
 * timestamp older than our last read) is still seen; rows are counted once by id.
 */
export const LIMIT_READ_OVERLAP_MS = 5000;
/** A bucket refills completely in BURST_SECONDS, so older takes no longer matter to it. */
const TOKEN_WINDOW_MS = BURST_SECONDS * 1000;
/** Prune about once a minute; rows are kept past any read window of any node. */
const PRUNE_EVERY_SYNCS = 60;
const TOKEN_ROWS_KEPT_MS = 60_000;
const SESSION_ROWS_KEPT_MS = 2 * HOUR_MS;

export interface SharedIngestLimits {
  limits: IngestLimits;
  /** One exchange with the store; the timer calls it, tests call it directly. Never throws. */
  sync(now?: number): Promise<void>;
  /** Starts the once-a-second exchange. */
  start(): void;
  /** Stops the timer and makes a last exchange, so the others hear of this node's last takes. */
  stop(): Promise<void>;
}

export interface SharedIngestLimitsOptions {
  config: IngestLimitsConfig;
  store: LimitTakesStore;
  /** Unique per running process (hostname and pid, say): a node ignores its own rows. */
  nodeId: string;
  /** Told once per outage when an exchange fails; the limits keep working from local counts meanwhile. */
  logError?: (message: string, error: unknown) => void;
}

export function createSharedIngestLimits({ config, store, nodeId, logError = console.error }: SharedIngestLimitsOptions): SharedIngestLimits {
  const addresses = rateBuckets(config.addressPerSecond);
  const sites = rateBuckets(config.sitePerSecond);
  /** Takes not yet stored, by scope and key. */
  const pending = new Map<string, LimitTake>();
  const note = (scope: LimitScope, key: string, taken = 1) => {
    const id = `${scope}\u0000${key}`;
    const take = pending.get(id);
    if (take) take.taken += taken;
    else pending.set(id, { scope, key, taken });
  };
  const admissions = createSessionAdmissions(config.sessionsPerSiteHour, (siteId) => note('session', siteId));
  /** Rows already counted, by id, with their time, forgotten once older than any read window. */
  const seen = new Map<string, number>();
  let lastRead: number | undefined;
  let syncs = 0;
  let failing = false;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const limits: IngestLimits = {
    takeAddress(address, now) {
      if (address === null) return 0;
      const wait = addresses.take(address, now);
      if (wait === 0) note('address', address);
      return wait;
    },
    takeSite(siteId, now) {
      const wait = sites.take(siteId, now);
      if (wait === 0) note('site', siteId);
      return wait;
    },
    admitSession: (siteId, sessionId, now) => admissions.admit(siteId, sessionId, now),
  };

  function apply(rows: StoredLimitTake[], now: number): void {
    for (const row of rows) {
      if (seen.has(row.id)) continue;
      seen.set(row.id, row.at);
      if (row.scope === 'session') admissions.countElsewhere(row.key, row.taken, row.at, now);
      else if (row.at > now - TOKEN_WINDOW_MS) (row.scope === 'address' ? addresses : sites).debit(row.key, row.taken, now);
    }
  }

  async function exchange(now: number): Promise<void> {
    const takes = [...pending.values()];
    pending.clear();
    const since = lastRead === undefined ? now - TOKEN_WINDOW_MS : lastRead - LIMIT_READ_OVERLAP_MS;
    const sessionsSince = lastRead === undefined ? Math.floor(now / HOUR_MS) * HOUR_MS : since;
    try {
      apply(await store.exchange({ nodeId, takes, now, since, sessionsSince }), now);
      lastRead = now;
      for (const [id, at] of seen) if (at <= now - 2 * LIMIT_READ_OVERLAP_MS - LIMIT_SYNC_MS) seen.delete(id);
      if (++syncs % PRUNE_EVERY_SYNCS === 0) await store.prune(now - TOKEN_ROWS_KEPT_MS, now - SESSION_ROWS_KEPT_MS);
      failing = false;
    } catch (error) {
      // Not stored: counted again next time, so no take is lost to an outage.
      for (const take of takes) note(take.scope, take.key, take.taken);
      if (!failing) logError('Ingest limits: could not trade counts with the other nodes; limiting from this node alone until it works again', error);
      failing = true;
    }
  }

  function sync(now = Date.now()): Promise<void> {
    // One exchange at a time: a slow database must not stack them up.
    inFlight ??= exchange(now).finally(() => (inFlight = undefined));
    return inFlight;
  }

  return {
    limits,
    sync,
    start() {
      timer ??= setInterval(() => void sync(), LIMIT_SYNC_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await inFlight;
      await sync();
    },
  };
}
