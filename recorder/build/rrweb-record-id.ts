/** The @rrweb/record module the recorder bundles, as Vite names it; the build plugins rewrite parts of it. */
export const RRWEB_RECORD_ID = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;
