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
        const notEntry = (file: string) => !(bundle[file]?.type === 'chunk' && bundle[file].isEntry);
        return [app.fileName, ...app.imports.filter(notEntry)].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: '', href: `/${file}` },
          injectTo: 'head' as const,
        }));
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
