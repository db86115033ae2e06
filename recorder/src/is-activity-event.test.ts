import { EventType, IncrementalSource, type eventWithTime } from '@rrweb/types';
import { describe, expect, it } from 'vitest';
import { isActivityEvent } from './is-activity-event';

const incremental = (source: IncrementalSource) =>
  ({ type: EventType.IncrementalSnapshot, data: { source }, timestamp: 1 }) as unknown as eventWithTime;

describe('isActivityEvent', () => {
  it('counts clicks, mouse moves, scrolls, typing and touch as activity', () => {
    const sources = [IncrementalSource.MouseInteraction, IncrementalSource.MouseMove, IncrementalSource.Scroll, IncrementalSource.Input, IncrementalSource.TouchMove];
    expect(sources.map((s) => isActivityEvent(incremental(s)))).toEqual([true, true, true, true, true]);
  });

  it('does not count DOM mutations, style changes or non-incremental events', () => {
    expect(isActivityEvent(incremental(IncrementalSource.Mutation))).toBe(false);
    expect(isActivityEvent(incremental(IncrementalSource.StyleSheetRule))).toBe(false);
    expect(isActivityEvent({ type: EventType.Meta, data: { href: 'x', width: 1, height: 1 }, timestamp: 1 })).toBe(false);
    expect(isActivityEvent({ type: EventType.Custom, data: { tag: 't', payload: {} }, timestamp: 1 })).toBe(false);
  });
});
