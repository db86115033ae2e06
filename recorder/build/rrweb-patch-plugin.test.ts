import { describe, expect, it } from 'vitest';
import { rrwebPatchPlugin } from './rrweb-patch-plugin';

const RRWEB = '/app/node_modules/@rrweb/record/dist/record.js';

type Hooks = {
  buildStart(): void;
  transform(code: string, id: string): { code: string } | null;
  buildEnd(error?: Error): void;
};
const hooks = (patch: (code: string) => string) => rrwebPatchPlugin('test-patch', patch) as unknown as Hooks;

describe('rrwebPatchPlugin', () => {
  it("patches rrweb's record module only", () => {
    const plugin = hooks((code) => code.replace('a', 'b'));
    plugin.buildStart();
    expect(plugin.transform('a', '/app/src/a.ts')).toBeNull();
    expect(plugin.transform('a', RRWEB)?.code).toBe('b');
    expect(() => plugin.buildEnd()).not.toThrow();
  });

  it('fails a build that never bundled rrweb, but does not hide an earlier error', () => {
    const plugin = hooks((code) => code);
    plugin.buildStart();
    plugin.transform('x', '/app/src/a.ts');
    expect(() => plugin.buildEnd()).toThrow('test-patch: @rrweb/record was not bundled');
    expect(() => plugin.buildEnd(new Error('syntax'))).not.toThrow();
  });

  it('lets the patch fail the build when rrweb no longer matches', () => {
    const plugin = hooks(() => {
      throw new Error('moved');
    });
    expect(() => plugin.transform('x', RRWEB)).toThrow('moved');
  });
});
