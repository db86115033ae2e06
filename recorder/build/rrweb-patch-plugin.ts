// Build plugin scaffold for rewriting the bundled @rrweb/record module: the build fails if rrweb is not bundled or no longer matches.
import type { Plugin } from 'vite';

/** The @rrweb/record module the recorder bundles, as Vite names it. */
export const RRWEB_RECORD_ID = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;

/**
 * A pre-transform of rrweb's record.js. `patch` returns the new code, or throws when rrweb no
 * longer matches what it relies on; a build that never bundled rrweb fails too, so a stale
 * patch cannot linger unnoticed.
 */
export function rrwebPatchPlugin(name: string, patch: (code: string, id: string) => string): Plugin {
  let patched = false;
  return {
    name: `frictionlens:${name}`,
    enforce: 'pre',
    buildStart() {
      patched = false;
    },
    transform(code, id) {
      if (!RRWEB_RECORD_ID.test(id)) return null;
      const result = patch(code, id);
      patched = true;
      return { code: result, map: null };
    },
    buildEnd(error) {
      if (!error && !patched) throw new Error(`${name}: @rrweb/record was not bundled; remove the plugin`);
    },
  };
}
