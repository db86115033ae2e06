// Bridge to the imperative rrweb player: seeking from the page list and following its clock.

/** The slice of rrweb-player's API the viewer uses. */
export interface SeekablePlayer {
  goto(timeOffset: number, play?: boolean): void;
  addEventListener(event: string, handler: (params: unknown) => unknown): void;
}

export class PlayerControl {
  #player: SeekablePlayer | null = null;
  #currentMs = $state(0);
  /** A seek asked for before the player was attached (a link's ?t=), applied when it is. */
  #pendingMs: number | null = null;

  /** Milliseconds from the start of the replay, as last reported by the player. */
  get currentMs() {
    return this.#currentMs;
  }

  /** Returns the detach function for the player's teardown. */
  attach(player: SeekablePlayer): () => void {
    this.#player = player;
    this.#currentMs = 0;
    if (this.#pendingMs !== null) this.seek(this.#pendingMs);
    this.#pendingMs = null;
    player.addEventListener('ui-update-current-time', (params) => {
      const payload = (params as { payload?: unknown } | null)?.payload;
      if (typeof payload === 'number') this.#currentMs = payload;
    });
    return () => {
      if (this.#player === player) this.#player = null;
    };
  }

  /** Jumps without changing play/pause, as the player's own progress bar does; before attach(), once attached. */
  seek(offsetMs: number): void {
    if (!this.#player) {
      this.#pendingMs = offsetMs;
      return;
    }
    this.#player.goto(offsetMs);
    this.#currentMs = offsetMs;
  }
}
