import { describe, expect, it } from 'vitest';
import { PlayerControl, type SeekablePlayer } from './player-control.svelte';

function fakePlayer() {
  const gotos: number[] = [];
  const handlers = new Map<string, (params: unknown) => unknown>();
  const player: SeekablePlayer = {
    goto: (offset) => void gotos.push(offset),
    addEventListener: (event, handler) => void handlers.set(event, handler),
  };
  return { player, gotos, emit: (event: string, params: unknown) => handlers.get(event)?.(params) };
}

describe('PlayerControl', () => {
  it('follows the player clock', () => {
    const control = new PlayerControl();
    const fake = fakePlayer();
    control.attach(fake.player);

    fake.emit('ui-update-current-time', { payload: 12_345 });
    expect(control.currentMs).toBe(12_345);
    fake.emit('ui-update-current-time', { payload: 'junk' });
    expect(control.currentMs).toBe(12_345);
  });

  it('seeks the attached player and forgets it once detached', () => {
    const control = new PlayerControl();
    const fake = fakePlayer();
    const detach = control.attach(fake.player);

    control.seek(30_250);
    expect(fake.gotos).toEqual([30_250]);
    expect(control.currentMs).toBe(30_250);

    detach();
    control.seek(1_000);
    expect(fake.gotos).toEqual([30_250]);
  });

  it('applies a seek asked for before the player was attached (a link with ?t=), once', () => {
    const control = new PlayerControl();
    control.seek(61_500);
    const first = fakePlayer();
    control.attach(first.player);
    expect(first.gotos).toEqual([61_500]);
    expect(control.currentMs).toBe(61_500);
    const second = fakePlayer();
    control.attach(second.player);
    expect(second.gotos).toEqual([]);
  });
});
