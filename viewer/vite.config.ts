// Builds the viewer into dist/viewer, which the server serves at `/`; in dev, proxies the API to it.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** Where `npm start` runs the server; the dev server forwards API and recorder requests there. */
const DEV_SERVER_TARGET = 'http://localhost:8787';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [svelte({ configFile: false })],
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
