import { describe, expect, it } from 'vitest';
import { MAX_PLAYER_HEIGHT_PX, MIN_PLAYER_HEIGHT_PX, playerFrameSize } from './player-size';

describe('playerFrameSize', () => {
  it('keeps the recorded aspect ratio', () => {
    expect(playerFrameSize(800, { width: 1600, height: 900 })).toEqual({ width: 800, height: 450 });
  });
  it('caps tall (phone) recordings and lifts very wide ones', () => {
    expect(playerFrameSize(900, { width: 390, height: 844 }).height).toBe(MAX_PLAYER_HEIGHT_PX);
    expect(playerFrameSize(300, { width: 3000, height: 500 }).height).toBe(MIN_PLAYER_HEIGHT_PX);
  });
  it('fills the height it is given in full screen', () => {
    expect(playerFrameSize(1920, { width: 1280, height: 800 }, 960)).toEqual({ width: 1920, height: 960 });
    expect(playerFrameSize(1000, { width: 1280, height: 800 }, 960)).toEqual({ width: 1000, height: 625 });
  });
  it('uses 16:10 without a recorded viewport', () => {
    expect(playerFrameSize(640.7, null)).toEqual({ width: 640, height: 400 });
  });
});
