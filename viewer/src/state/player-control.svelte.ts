// Bridge to the imperative rrweb player: the viewer's own controls drive it, and its clock and state are followed here.

/** The slice of rrweb-player's API the viewer uses. */
export interface SeekablePlayer {
  goto(timeOffset: number, play?: boolean): void;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  toggleSkipInactive(): void;
  addEventListener(event: string, handler: (params: unknown) => unknown): void;
}

/** Playback speeds offered; rrweb-player checks the speed it is built with against this list. */
export const PLAYER_SPEEDS = [0.5, 1, 2, 4, 8] as const;
export type PlayerSpeed = (typeof PLAYER_SPEEDS)[number];

export class PlayerControl {
  #player: SeekablePlayer | null = null;
  #currentMs = $state(0);
  #playing = $state(false);
  #speed = $state<PlayerSpeed>(1);
  /** rrweb fast-forwards through stretches without user input (its inactivePeriodThreshold, 10 s). */
  #skipInactive = $state(true);
  /** rrweb is fast-forwarding through such a stretch now. */
  #skipping = $state(false);
  /** A seek asked for before the player was attached (a link's ?t=), applied when it is. */
  #pendingMs: number | null = null;
  /** Where the last player stood when it was taken down: a player built again (the earlier batches filled in) carries on from there. */
  #resume: { ms: number; playing: boolean } | null = null;

  /** Milliseconds from the start of the replay, as last reported by the player. */
  get currentMs() {
    return this.#currentMs;
  }
  get playing() {
    return this.#playing;
  }
  get speed() {
    return this.#speed;
  }
  get skipInactive() {
    return this.#skipInactive;
  }
  get skipping() {
    return this.#skipping;
  }

  /** A new session: nothing carries over from the last one's player; `atMs` is where the next player opens. */
  reset(atMs?: number): void {
    this.#pendingMs = atMs ?? null;
    this.#resume = null;
    this.#currentMs = atMs ?? 0;
    this.#playing = false;
    this.#skipping = false;
  }

  /**
   * Call with a player built with this control's speed and skipInactive; returns the detach function
   * for its teardown. `openingMs` is where a player opened at the start is sent (see openingMs in
   * lib/replay-timeline), while the clock shows the start.
   */
  attach(player: SeekablePlayer, openingMs = 0): () => void {
    this.#player = player;
    player.addEventListener('ui-update-current-time', (params) => {
      const payload = (params as { payload?: unknown } | null)?.payload;
      if (typeof payload === 'number') this.#currentMs = payload;
    });
    player.addEventListener('ui-update-player-state', (params) => {
      const payload = (params as { payload?: unknown } | null)?.payload;
      if (payload === 'playing' || payload === 'paused') this.#playing = payload === 'playing';
    });
    player.addEventListener('skip-start', () => (this.#skipping = true));
    player.addEventListener('skip-end', () => (this.#skipping = false));
    const resume = this.#resume;
    this.#resume = null;
    if (this.#pendingMs !== null) {
      this.seek(this.#pendingMs);
    } else if (resume) {
      player.goto(resume.ms, resume.playing);
      this.#currentMs = resume.ms;
    } else {
      // Drawn now, in the task that built the player: rrweb would draw its start on timers, behind
      // whatever the page has queued by then (the rest of the recording, other answers).
      player.goto(openingMs);
      this.#currentMs = 0;
    }
    this.#pendingMs = null;
    return () => {
      if (this.#player !== player) return;
      this.#resume = { ms: this.#currentMs, playing: this.#playing };
      this.#player = null;
      this.#playing = false;
      this.#skipping = false;
    };
  }

  /** Jumps without changing play/pause, as a player's progress bar does; before attach(), once attached. */
  seek(offsetMs: number): void {
    const ms = Math.max(0, Math.round(offsetMs));
    this.#currentMs = ms;
    if (!this.#player) {
      this.#pendingMs = ms;
      return;
    }
    this.#player.goto(ms);
  }

  /** Moves by `deltaMs` (back when negative), within the recording's length. */
  seekBy(deltaMs: number, durationMs: number): void {
    this.seek(Math.min(Math.max(0, durationMs), Math.max(0, this.#currentMs + deltaMs)));
  }

  togglePlay(): void {
    if (!this.#player) return;
    if (this.#playing) this.#player.pause();
    else this.#player.play();
  }

  setSpeed(speed: PlayerSpeed): void {
    this.#speed = speed;
    this.#player?.setSpeed(speed);
  }

  setSkipInactive(on: boolean): void {
    if (on === this.#skipInactive) return;
    this.#skipInactive = on;
    // rrweb-player keeps its own flag and copies it to the replayer after each update: only its toggle sticks.
    this.#player?.toggleSkipInactive();
  }
}
