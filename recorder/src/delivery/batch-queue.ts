// Batches not yet delivered, oldest first, mirrored to localStorage when a reload, a closed tab or an outage could lose them.
import { SESSION_IDLE_TIMEOUT_MS, type DroppedPayload } from '../wire/format';
import { toBase64 } from './base64';

/**
 * One key per batch ("frictionlens.q.<sessionId>.<seq>"), so queueing or delivering one never
 * rewrites the others, and any later page load of the site, in any tab, finds them.
 */
export const QUEUE_KEY_PREFIX = 'frictionlens.q.';
/** Per session: until when its batches wait for the minimum session length. */
export const HOLD_KEY_PREFIX = 'frictionlens.h.';
/** Drops a page could not report before it went away, as "<batches> <events>". */
export const DROPPED_KEY = 'frictionlens.d';

/**
 * Characters of stored bodies, about 1 MB: as base64 gzip that is 4 to 7 MB of rrweb JSON, minutes
 * of recording. Firefox and Safari give an origin 5 M characters, shared with the site's own
 * data; we take a fifth at most.
 */
export const QUEUE_MAX_CHARS = 1_000_000;

/** Object.keys() must list the stored keys, as it does for localStorage. */
export type QueueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** One serialized batch, with what the queue needs to know without parsing it. */
export interface OutgoingBatch {
  sessionId: string;
  seq: number;
  events: number;
  /**
   * The batch JSON ("{…"), header included so a resend keeps its seq; once compressed and stored,
   * its gzip in base64; empty while the gzip is held in memory only.
   */
  body: string;
  /**
   * The body in pieces (serialize-batch.ts), while it waits for compression: the worker joins
   * them, so a large event's JSON is never copied into one string on the page's thread.
   */
  parts?: readonly string[];
  /** The compressed batch, posted as it is; turned into base64 only if the batch has to be stored. */
  gzip?: Uint8Array<ArrayBuffer>;
  /** Queued while the tab was hidden: post with keepalive where the quota allows. */
  keepalive?: boolean;
}

export interface QueuedBatch extends OutgoingBatch {
  key: string;
  /** When it was queued: orders batches across sessions and tabs. */
  at: number;
  /** Written to storage. One that is not (not asked to, or quota full) is sent from memory only. */
  stored?: boolean;
}

export interface BatchQueue {
  readonly batches: readonly QueuedBatch[];
  /**
   * Queues a batch, dropping the oldest while over the cap, and stores it unless persist is false;
   * holdUntil in the future marks its session as held. Returns it as queued, unless the cap dropped it.
   */
  add(batch: OutgoingBatch, holdUntil: number, persist?: boolean): QueuedBatch | undefined;
  /** Stores every batch held in memory only (but except): the page may go, or delivery is failing. */
  persist(except?: QueuedBatch | null): void;
  remove(batch: QueuedBatch): void;
  /**
   * Whether a batch may be sent now. The page's own session waits for holdUntil; another
   * session waits while its hold key says it has not lasted long enough, and is forgotten once
   * it idled out short. A batch another page already delivered is forgotten too.
   */
  ready(batch: QueuedBatch, sessionId: string, holdUntil: number): boolean;
  takeDropped(): DroppedPayload | null;
  /** Keeps unreported drops in storage, for the next page load to report. */
  saveDropped(): void;
}

export function createBatchQueue(storage: QueueStorage | null, now: () => number, maxChars = QUEUE_MAX_CHARS): BatchQueue {
  const batches: QueuedBatch[] = [];
  let chars = 0;
  let droppedBatches = 0;
  let droppedEvents = 0;

  function read(key: string): string | null {
    try {
      return storage && storage.getItem(key);
    } catch {
      return null;
    }
  }

  /** Removes the key when value is undefined; false when storage refused (quota, privacy mode). */
  function write(key: string, value?: string): boolean {
    try {
      if (value === undefined) storage!.removeItem(key);
      else storage!.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  /** Adds the drops another page stored; with save, stores ours instead. */
  function syncDropped(save?: boolean): void {
    const [b = 0, e = 0] = (read(DROPPED_KEY) || '').split(' ').map(Number);
    if (save ? droppedBatches && write(DROPPED_KEY, `${b + droppedBatches} ${e + droppedEvents}`) : write(DROPPED_KEY)) {
      droppedBatches = save ? 0 : droppedBatches + b;
      droppedEvents = save ? 0 : droppedEvents + e;
    }
  }

  const present = (batch: QueuedBatch) => !batch.stored || read(batch.key) !== null;
  /** The length of the stored body: gzip in memory counts as the base64 it would become. */
  const charsOf = (batch: OutgoingBatch) => (batch.gzip ? Math.ceil(batch.gzip.length / 3) * 4 : batch.body.length);

  function store(batch: QueuedBatch): void {
    if (batch.gzip && !batch.body) batch.body = toBase64(batch.gzip);
    batch.stored = write(batch.key, `${batch.at} ${batch.events} ${batch.body}`);
  }

  function remove(batch: QueuedBatch, count = false): void {
    const i = batches.indexOf(batch);
    if (i < 0) return;
    batches.splice(i, 1);
    chars -= charsOf(batch);
    if (batch.stored) write(batch.key);
    if (count) {
      droppedBatches++;
      droppedEvents += batch.events;
    }
  }

  // Adopt what earlier page loads left unsent; (sessionId, seq) lets the server store each batch once.
  try {
    for (const key of Object.keys(storage!)) {
      if (!key.startsWith(QUEUE_KEY_PREFIX)) continue;
      const value = read(key) || '';
      const head = /^(\d+) (\d+) /.exec(value);
      const [, , sessionId, seq] = key.split('.');
      if (!head || !sessionId || !seq) write(key);
      else {
        const body = value.slice(head[0].length);
        batches.push({ key, sessionId, seq: +seq, at: +head[1]!, events: +head[2]!, body, stored: true });
        chars += body.length;
      }
    }
    batches.sort((a, b) => a.at - b.at || a.seq - b.seq);
    syncDropped();
  } catch {
    // No storage: the queue lives for this page load only.
  }

  return {
    batches,
    add(outgoing, holdUntil, persist = true) {
      // Its pieces were for compression only: the queue posts and stores the body or the gzip.
      const key = `${QUEUE_KEY_PREFIX}${outgoing.sessionId}.${outgoing.seq}`;
      const batch: QueuedBatch = { ...outgoing, parts: undefined, key, at: now() };
      batches.push(batch);
      chars += charsOf(batch);
      while (chars > maxChars) remove(batches[0]!, present(batches[0]!));
      const queued = batches.includes(batch);
      if (persist && queued) store(batch);
      if (holdUntil > now()) write(HOLD_KEY_PREFIX + batch.sessionId, String(holdUntil));
      return queued ? batch : undefined;
    },
    persist(except) {
      if (storage) for (const batch of batches) if (!batch.stored && batch !== except) store(batch);
    },
    remove: (batch) => remove(batch),
    ready(batch, sessionId, holdUntil) {
      if (!present(batch)) {
        remove(batch);
        return false;
      }
      const holdKey = HOLD_KEY_PREFIX + batch.sessionId;
      if (batch.sessionId === sessionId) {
        if (now() < holdUntil) return false;
        // Long enough now: pages of other tabs may send this session's leftovers too.
        if (holdUntil) write(holdKey);
        return true;
      }
      const hold = Number(read(holdKey));
      if (hold && now() > hold + SESSION_IDLE_TIMEOUT_MS) {
        // That session ended before it lasted the minimum: its batches are never sent.
        remove(batch);
        if (!batches.some((b) => b.sessionId === batch.sessionId)) write(holdKey);
      }
      return !hold;
    },
    takeDropped() {
      const dropped = { batches: droppedBatches, events: droppedEvents };
      droppedBatches = droppedEvents = 0;
      return dropped.batches ? dropped : null;
    },
    saveDropped: () => syncDropped(true),
  };
}
