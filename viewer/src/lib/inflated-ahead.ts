// A replay link's first batches, inflated and parsed while the viewer's own code still loads, handed once to the loader that asks for them.
import { batchEvents, inflateBatchText, type BatchFrame } from './batch-frames';
import { MAX_BATCH_INFLATED_BYTES, type eventWithTime } from './contract';

/** Batches inflated at once: native inflation overlaps, and at most this many batches' text is held beyond the parsed ones. */
export const INFLATE_AHEAD = 8;
/** A batch inflated ahead and not asked for within this long is dropped (the link was left, or its moment changed). */
export const AHEAD_FRESH_MS = 10_000;
/**
 * Most event JSON inflated ahead: the 4 minutes a link 59 minutes into a busy page needs are about
 * 1.5 MB. Past this the loader inflates the rest itself, within its own limit (MAX_REPLAY_JSON_BYTES),
 * so a recording of batches that each inflate to the most ingest allows cannot fill the tab before
 * the loader's limit applies.
 */
export const AHEAD_MAX_JSON_BYTES = 32 * 1024 * 1024;

export interface Inflated {
  frame: BatchFrame;
  events: eventWithTime[];
  /** Size of the inflated JSON. */
  bytes: number;
  error?: unknown;
}

/** One batch's events; a batch that will not inflate or parse comes back with its error and no events. */
export async function inflateFrame(frame: BatchFrame): Promise<Inflated> {
  try {
    const { text, bytes } = await inflateBatchText(frame.body, MAX_BATCH_INFLATED_BYTES);
    return { frame, events: batchEvents(text), bytes };
  } catch (error) {
    return { frame, events: [], bytes: 0, error };
  }
}

interface Entry {
  body: Uint8Array;
  /** Null when the batch was not inflated ahead (over AHEAD_MAX_JSON_BYTES). */
  result: Promise<Inflated | null>;
}

/**
 * On a replay link the first batches arrive while the browser still compiles and mounts the viewer,
 * with its main thread idle between scripts; inflating them then, instead of once the player asks,
 * takes that work off the way to the first frame. A batch is handed out only for the same session,
 * seq and stored bytes, so what the loader receives is exactly what it would have inflated itself.
 */
export class InflatedAhead {
  readonly #entries = new Map<string, Entry>();

  /**
   * Starts inflating `frames` in order, INFLATE_AHEAD at a time, until `maxJsonBytes` of JSON are
   * inflated; each is kept until taken or AHEAD_FRESH_MS have passed. Settles when all are done.
   */
  start(sessionId: string, frames: readonly BatchFrame[], maxJsonBytes = AHEAD_MAX_JSON_BYTES): Promise<void> {
    const mine = new Map<string, Entry>();
    const results: Array<Promise<Inflated | null>> = [];
    let jsonBytes = 0;
    const inflateWithin = async (frame: BatchFrame): Promise<Inflated | null> => {
      if (jsonBytes >= maxJsonBytes) return null;
      const inflated = await inflateFrame(frame);
      jsonBytes += inflated.bytes;
      return inflated;
    };
    frames.forEach((frame, i) => {
      // The batch INFLATE_AHEAD places earlier is done before this one starts (inflateFrame never rejects).
      const before = results[i - INFLATE_AHEAD];
      const result = before ? before.then(() => inflateWithin(frame)) : inflateWithin(frame);
      results.push(result);
      const entry = { body: frame.body, result };
      this.#entries.set(entryKey(sessionId, frame.seq), entry);
      mine.set(entryKey(sessionId, frame.seq), entry);
    });
    setTimeout(() => {
      // Only these: a later start() for the same batches keeps its own.
      for (const [key, entry] of mine) if (this.#entries.get(key) === entry) this.#entries.delete(key);
    }, AHEAD_FRESH_MS);
    return Promise.all(results).then(() => {});
  }

  /** The batch's inflated events if they were started ahead from identical bytes, once; else null. */
  take(sessionId: string, frame: BatchFrame): Promise<Inflated> | null {
    const key = entryKey(sessionId, frame.seq);
    const entry = this.#entries.get(key);
    if (!entry) return null;
    this.#entries.delete(key);
    if (!sameBytes(entry.body, frame.body)) return null;
    return entry.result.then((inflated) => (inflated ? { ...inflated, frame } : inflateFrame(frame)));
  }
}

/** The viewer's one instance: the entry fills it, the loader of the player's chunk takes from it. */
export const inflatedAhead = new InflatedAhead();

const entryKey = (sessionId: string, seq: number) => `${seq} ${sessionId}`;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
