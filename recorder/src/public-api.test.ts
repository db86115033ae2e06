import { describe, expect, it } from 'vitest';
import type { ConsentState } from './consent/consent-state';
import { createPublicApi, type FrictionlensApi } from './public-api';
import type { Recorder } from './recorder';
import { CUSTOM_EVENT_TAGS } from './wire/format';

const ENDPOINT = 'https://replay.example.com';

/** Fake recorders that log what happens to them; custom events land in `events`, tagged by recorder. */
function setup(consent: ConsentState = 'granted', startedAt: number | null = 1_000) {
  const recorders: Array<{ id: string; stopped: boolean; discarded: boolean }> = [];
  const events: Array<[number, string, unknown]> = [];
  const saved: boolean[] = [];
  let now = 61_000;
  const api = createPublicApi({
    endpoint: ENDPOINT,
    consent,
    record(): Recorder {
      const state = { id: `session-${recorders.length + 1}`, stopped: false, discarded: false };
      recorders.push(state);
      return {
        get sessionId() {
          return state.stopped ? null : state.id;
        },
        stop(discard) {
          state.stopped = true;
          state.discarded = discard === true;
        },
      };
    },
    addCustomEvent: (tag, payload) => void events.push([recorders.length, tag, payload]),
    saveConsent: (granted) => void saved.push(granted),
    sessionStartedAt: () => startedAt ?? undefined,
    now: () => now,
  });
  return { api, recorders, events, saved, tick: (ms: number) => (now += ms) };
}

describe('createPublicApi', () => {
  it('records at once when consent is not needed', () => {
    const { api, recorders } = setup();
    expect(recorders).toHaveLength(1);
    expect(api.getSessionId()).toBe('session-1');
  });

  it('with consent pending records nothing until consent(true), and remembers the grant', () => {
    const { api, recorders, saved, events } = setup('pending');
    api.track('viewed-pricing');
    api.start();
    expect(recorders).toHaveLength(0);
    expect(api.getSessionId()).toBeNull();
    expect(api.getReplayUrl()).toBeNull();
    expect(events).toEqual([]);
    api.consent(true);
    expect(recorders).toHaveLength(1);
    expect(saved).toEqual([true]);
    expect(api.getSessionId()).toBe('session-1');
  });

  it('consent(false) stops, discards the buffer, and forgets the session; a new grant starts a new recording', () => {
    const { api, recorders, saved } = setup('granted');
    api.consent(false);
    expect(recorders[0]).toMatchObject({ stopped: true, discarded: true });
    expect(saved).toEqual([false]);
    expect(api.getSessionId()).toBeNull();
    api.start();
    expect(recorders).toHaveLength(1);
    api.consent(true);
    expect(recorders).toHaveLength(2);
  });

  it('treats anything but true as a refusal', () => {
    const { api, recorders } = setup('granted');
    (api.consent as (value: unknown) => void)('yes');
    expect(recorders[0]!.discarded).toBe(true);
  });

  it('under GPC records nothing, whatever the page says, and stores nothing', () => {
    const { api, recorders, saved } = setup('gpc');
    api.consent(true);
    api.start();
    expect(recorders).toHaveLength(0);
    expect(saved).toEqual([]);
  });

  it('stop() sends what is buffered and start() begins a new recording in the same session', () => {
    const { api, recorders } = setup();
    api.stop();
    expect(recorders[0]).toMatchObject({ stopped: true, discarded: false });
    expect(api.getSessionId()).toBeNull();
    api.start();
    api.start();
    expect(recorders).toHaveLength(2);
    expect(api.getSessionId()).toBe('session-2');
  });

  it('identify and track become validated, flat custom events', () => {
    const { api, events } = setup();
    api.identify('user-42', { plan: 'pro', nested: { no: 1 } } as never);
    api.track('checkout-started', { total: 99.5, items: [1, 2] } as never);
    api.track('', {});
    (api.identify as (value: unknown) => void)({ not: 'an id' });
    expect(events).toEqual([
      [1, CUSTOM_EVENT_TAGS.identify, { userId: 'user-42', traits: { plan: 'pro' } }],
      [1, CUSTOM_EVENT_TAGS.track, { name: 'checkout-started', props: { total: 99.5 } }],
    ]);
  });

  it('sends an identify made before recording once recording starts, and again after a restart', () => {
    const { api, events } = setup('pending');
    (api.identify as (value: unknown) => void)(42);
    expect(events).toEqual([]);
    api.consent(true);
    api.stop();
    api.start();
    expect(events).toEqual([
      [1, CUSTOM_EVENT_TAGS.identify, { userId: '42', traits: {} }],
      [2, CUSTOM_EVENT_TAGS.identify, { userId: '42', traits: {} }],
    ]);
  });

  it('getReplayUrl links into the viewer at the time since the session started', () => {
    const { api, tick } = setup('granted', 1_000);
    expect(api.getReplayUrl()).toBe(`${ENDPOINT}/#/sessions/session-1?t=60000`);
    tick(2_500);
    expect(api.getReplayUrl()).toBe(`${ENDPOINT}/#/sessions/session-1?t=62500`);
  });

  it('getReplayUrl opens at 0 when the start is unknown', () => {
    expect(setup('granted', null).api.getReplayUrl()).toBe(`${ENDPOINT}/#/sessions/session-1?t=0`);
  });

  it('no function ever throws, even when the recorder does', () => {
    const api = createPublicApi({
      endpoint: ENDPOINT,
      consent: 'granted',
      record: () => ({
        get sessionId(): string {
          throw new Error('broken');
        },
        stop() {
          throw new Error('broken');
        },
      }),
      addCustomEvent: () => {
        throw new Error('broken');
      },
      saveConsent: () => {
        throw new Error('broken');
      },
      sessionStartedAt: () => {
        throw new Error('broken');
      },
      now: () => 0,
    });
    const calls: Array<(a: FrictionlensApi) => unknown> = [
      (a) => a.identify('u', { a: 1 }),
      (a) => a.track('t', { get boom(): string { throw new Error('getter'); } } as never),
      (a) => a.consent(true),
      (a) => a.consent(false),
      (a) => a.stop(),
      (a) => a.start(),
      (a) => a.getSessionId(),
      (a) => a.getReplayUrl(),
    ];
    for (const call of calls) expect(() => call(api)).not.toThrow();
    expect(api.getSessionId()).toBeNull();
  });
});
