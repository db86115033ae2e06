// A session listed by a report, with where its replay opens: a little before the moment it is listed for.
import type { ReplayMoment } from '../api-types';
import { REPLAY_LEAD_MS } from './conversion-thresholds';

export function replayMoment(session: { id: string; startedAt: number; endedAt: number }, ts: number, converted: boolean): ReplayMoment {
  return {
    sessionId: session.id,
    startedAt: session.startedAt,
    durationMs: session.endedAt - session.startedAt,
    ts,
    // The player's clock starts at the session's first event, which is started_at.
    atMs: Math.max(0, Math.round(ts - REPLAY_LEAD_MS - session.startedAt)),
    converted,
  };
}
