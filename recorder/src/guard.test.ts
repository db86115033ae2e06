import { describe, expect, it } from 'vitest';
import { createGuard } from './guard';

describe('createGuard', () => {
  it('passes arguments and return values through while nothing throws', () => {
    const guard = createGuard(() => {});
    const add = guard.wrap((a: number, b: number) => a + b);
    expect(add(2, 3)).toBe(5);
    expect(guard.faulted).toBe(false);
  });

  it('swallows a throw, reports it once and turns every wrapped callback into a no-op', () => {
    const faults: unknown[] = [];
    const guard = createGuard((error) => faults.push(error));
    const boom = new Error('boom');
    let calls = 0;
    const failing = guard.wrap(() => {
      calls++;
      throw boom;
    });
    const other = guard.wrap(() => 'ran');

    expect(() => failing()).not.toThrow();
    expect(failing()).toBeUndefined();
    expect(other()).toBeUndefined();
    expect(guard.run(() => 'ran')).toBeUndefined();
    expect(calls).toBe(1);
    expect(faults).toEqual([boom]);
    expect(guard.faulted).toBe(true);
  });

  it('does not let a throwing fault handler escape', () => {
    const guard = createGuard(() => {
      throw new Error('teardown failed');
    });
    expect(() => guard.run(() => { throw new Error('first'); })).not.toThrow();
    expect(guard.faulted).toBe(true);
  });

  it('fail() from outside stops the guard like a caught throw', () => {
    const faults: unknown[] = [];
    const guard = createGuard((error) => faults.push(error));
    guard.fail('rrweb said no');
    guard.fail('second');
    expect(faults).toEqual(['rrweb said no']);
    expect(guard.run(() => 1)).toBeUndefined();
  });

  it('keeps `this` for listeners that rely on it', () => {
    const guard = createGuard(() => {});
    const target = { name: 'doc', read: guard.wrap(function (this: { name: string }) { return this.name; }) };
    expect(target.read()).toBe('doc');
  });
});
