// Build plugin: keeps rrweb's serialized element nodes out of V8's dictionary mode, so JSON.stringify takes its fast path.
import type { Plugin } from 'vite';
import { rrwebPatchPlugin } from './rrweb-patch-plugin.ts';

/** rrweb 2.1.6, serializeNodeWithId: drops a flag no consumer reads from every element it serializes. */
export const NEEDBLOCK_DELETE = 'delete serializedNode.needBlock;';
/** Same JSON (JSON.stringify leaves out undefined), without removing a property. */
export const NEEDBLOCK_CLEAR = 'serializedNode.needBlock = void 0;';

/**
 * Deleting a property that is not the last one added turns a V8 object into a dictionary, and
 * JSON.stringify falls off its fast path for dictionaries: for a mutation event adding 25,600
 * elements (3.2 MB of JSON) it took 25 ms instead of 13.7 ms in Chromium 156
 * (bench/recorder-overhead.ts workloads). The recorder serializes every event rrweb emits, so
 * this is most of what it costs the main thread beyond rrweb itself. Replay and the stored
 * events are unchanged: the flag was already absent from the JSON.
 */
export function keepRrwebNodesFast(): Plugin {
  return rrwebPatchPlugin('keep-rrweb-nodes-fast', (code, id) => {
    const at = code.indexOf(NEEDBLOCK_DELETE);
    if (at < 0 || code.includes(NEEDBLOCK_DELETE, at + 1)) {
      throw new Error(`keep-rrweb-nodes-fast: rrweb no longer deletes needBlock once in ${id}; update recorder/build/keep-rrweb-nodes-fast.ts`);
    }
    return code.slice(0, at) + NEEDBLOCK_CLEAR + code.slice(at + NEEDBLOCK_DELETE.length);
  });
}
