// Builds recorder.js: one minified IIFE that a site loads with a single async <script> tag.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // Lib mode does not replace this by itself; a dependency reading it would throw on a page.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: fileURLToPath(new URL('../dist/recorder', import.meta.url)),
    emptyOutDir: true,
    // Browsers without optional chaining or CompressionStream still parse and run it (plain JSON).
    target: 'es2019',
    minify: true,
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['iife'],
      name: 'frictionlensRecorder',
      fileName: () => 'recorder.js',
    },
  },
});
