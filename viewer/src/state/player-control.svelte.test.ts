import { describe, expect, it } from 'vitest';
import { PlayerControl, type SeekablePlayer } from './player-control.svelte';

/** Records what the control asks of the player, and lets a test play the player's own events. */
function fakePlayer() {
  const calls: string[] = [];
  const handlers = new Map<string, (params: unknown) => unknown>();
  const player: SeekablePlayer = {
    goto: (offset, play) => void calls.push(play === undefined ? `goto ${offset}` : `goto ${offset} ${play ? 'playing' : 'paused'}`),
    play: () => void calls.push('play'),
    pause: () => void calls.push('pause'),
    setSpeed: (speed) => void calls.push(`speed ${speed}`),
    toggleSkipInactive: () => void calls.push('toggle skip'),
    addEventListener: (event, handler) => void handlers.set(event, handler),
  };
  return { player, calls, emit: (event: string, params?: unknown) => handlers.get(event)?.(params) };
}

describe('PlayerControl', () => {
  it('follows the player clock, its play state and its skipping', () => {
    const control = new PlayerControl();
    const fake = fakePlayer();
    control.attach(fake.player);

    fake.emit('ui-update-current-time', { payload: 12_345 });
    expect(control.currentMs).toBe(12_345);
    fake.emit('ui-update-current-time', { payload: 'junk' });
    expect(control.currentMs).toBe(12_345);
    fake.emit('ui-update-player-state', { payload: 'playing' });
    expect(control.playing).toBe(true);
    fake.emit('skip-start', { speed: 360 });
    expect(control.skipping).toBe(true);
    fake.emit('skip-end');
    fake.emit('ui-update-player-state', { payload: 'paused' });
    expect([control.playing, control.skipping]).toEqual([false, false]);
  });

  it('seeks the attached player, by steps within the recording, and forgets it once detached', () => {
    const control = new PlayerControl();
    const fake = fakePlayer();
    const detach = control.attach(fake.player, 13);
    // Sent just past the first snapshot, so that it is drawn at once; the clock shows the start.
    expect(control.currentMs).toBe(0);

    control.seek(30_250);
    control.seekBy(5000, 60_000);
    control.seekBy(-40_000, 60_000);
    control.seek(58_000);
    control.seekBy(5000, 60_000);
    expect(fake.calls).toEqual(['goto 13', 'goto 30250', 'goto 35250', 'goto 0', 'goto 58000', 'goto 60000']);
    expect(control.currentMs).toBe(60_000);

    detach();
    control.seek(1_000);
    control.togglePlay();
    expect(fake.calls).toHaveLength(6);
  });

  it('plays and pauses by the state the player reports, and passes on speed and inactivity skipping', () => {
    const control = new PlayerControl();
    const fake = fakePlayer();
    control.attach(fake.player);
    control.togglePlay();
    fake.emit('ui-update-player-state', { payload: 'playing' });
    control.togglePlay();
    control.setSpeed(4);
    control.setSkipInactive(false);
    control.setSkipInactive(false);
    control.setSkipInactive(true);
    expect(fake.calls).toEqual(['goto 0', 'play', 'pause', 'speed 4', 'toggle skip', 'toggle skip']);
    expect([control.speed, control.skipInactive]).toEqual([4, true]);
  });

  it('applies a seek asked for before the player was attached (a link with ?t=), once', () => {
    const control = new PlayerControl();
    control.seek(61_500);
    const first = fakePlayer();
    control.attach(first.player);
    expect(first.calls).toEqual(['goto 61500']);
    expect(control.currentMs).toBe(61_500);
  });

  it('carries the moment and play state over to a player built again, but not to the next session', () => {
    const control = new PlayerControl();
    const first = fakePlayer();
    const detach = control.attach(first.player);
    control.seek(42_000);
    first.emit('ui-update-player-state', { payload: 'playing' });
    first.emit('ui-update-current-time', { payload: 43_500 });
    detach();

    const second = fakePlayer();
    const detachSecond = control.attach(second.player);
    expect(second.calls).toEqual(['goto 43500 playing']);
    expect(control.currentMs).toBe(43_500);
    detachSecond();

    control.reset(9_000);
    const third = fakePlayer();
    control.attach(third.player);
    expect(third.calls).toEqual(['goto 9000']);
    control.reset();
    const fourth = fakePlayer();
    control.attach(fourth.player);
    expect(fourth.calls).toEqual(['goto 0']);
    expect(control.currentMs).toBe(0);
  });
});
