import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NEEDBLOCK_CLEAR, NEEDBLOCK_DELETE, keepRrwebNodesFast } from './keep-rrweb-nodes-fast';

const RRWEB_RECORD = createRequire(import.meta.url).resolve('@rrweb/record').replace(/record\.c?js$/, 'record.js');

type Transform = (code: string, id: string) => { code: string } | null;
const transform = (code: string, id = RRWEB_RECORD) =>
  (keepRrwebNodesFast().transform as unknown as Transform).call({}, code, id);

describe('keepRrwebNodesFast', () => {
  it('replaces the one delete in the rrweb we ship with an assignment, changing nothing else', () => {
    const source = readFileSync(RRWEB_RECORD, 'utf8');
    const result = transform(source)!;
    expect(result.code).not.toContain(NEEDBLOCK_DELETE);
    expect(result.code.split(NEEDBLOCK_CLEAR)).toHaveLength(2);
    expect(result.code.replace(NEEDBLOCK_CLEAR, NEEDBLOCK_DELETE)).toBe(source);
  });

  it('fails the build when rrweb no longer matches', () => {
    expect(() => transform('function serializeNodeWithId() {}')).toThrow(/no longer deletes needBlock/);
    expect(() => transform(`${NEEDBLOCK_DELETE}\n${NEEDBLOCK_DELETE}`)).toThrow(/no longer deletes needBlock/);
  });

  it('leaves every other module alone', () => {
    expect(transform(NEEDBLOCK_DELETE, '/src/recorder.ts')).toBeNull();
  });
});
