// Builds the viewer into dist/viewer, which the server serves at `/`; in dev, proxies the API to it.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

/** Where `npm start` runs the server; the dev server forwards API and recorder requests there. */
const DEV_SERVER_TARGET = 'http://localhost:8787';

/**
 * The entry (main.ts) is small and loads the app with import(), so that a replay link's requests go
 * out first; these links let the browser fetch the app's chunks alongside the entry instead of after
 * it has run.
 */
function preloadApp(): Plugin {
  return {
    name: 'frictionlens-preload-app',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        if (!bundle) return [];
        const app = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.facadeModuleId?.endsWith('/App.svelte'));
        if (!app || app.type !== 'chunk') return [];
        // Every chunk App needs before it runs, not only its direct imports: a chunk first named by
        // one of those (the bundler's small runtime) would otherwise be fetched a round trip later.
        const files = new Set<string>();
        const add = (file: string) => {
          const chunk = bundle[file];
          if (files.has(file) || chunk?.type !== 'chunk' || chunk.isEntry) return;
          files.add(file);
          chunk.imports.forEach(add);
        };
        add(app.fileName);
        // Their stylesheets too: import() of App waits until the app's stylesheet has loaded, and
        // without this it was only asked for once the entry ran. A preload, not a stylesheet link,
        // so that the entry, which sends a replay link's first requests, does not wait for it; the
        // same CORS mode as the link Vite adds, so that link takes the preloaded file.
        const styles = [...files].flatMap((file) => {
          const chunk = bundle[file];
          return chunk?.type === 'chunk' ? [...(chunk.viteMetadata?.importedCss ?? [])] : [];
        });
        const link = (attrs: Record<string, string>) => ({ tag: 'link', attrs, injectTo: 'head' as const });
        return [
          ...[...files].map((file) => link({ rel: 'modulepreload', crossorigin: '', href: `/${file}` })),
          ...styles.map((file) => link({ rel: 'preload', as: 'style', crossorigin: '', href: `/${file}` })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [svelte({ configFile: false }), preloadApp()],
  build: {
    outDir: '../dist/viewer',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': DEV_SERVER_TARGET,
      '/recorder.js': DEV_SERVER_TARGET,
      '/demo': DEV_SERVER_TARGET,
    },
  },
});
