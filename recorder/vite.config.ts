// Builds recorder.js, one minified IIFE a site loads with a single async <script> tag, and frictionlens.mjs for bundlers.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { keepRrwebNodesFast } from './build/keep-rrweb-nodes-fast.ts';
import { stripRrwebCanvas } from './build/strip-rrweb-canvas.ts';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

// A function, so each build gets fresh objects: Vite writes into the environments it is given.
export default defineConfig(() => ({
  // Lib mode does not replace this by itself; a dependency reading it would throw on a page.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [stripRrwebCanvas(), keepRrwebNodesFast()],
  // Shared by both outputs; `client` is recorder.js, the one the size budget and the benches measure.
  build: {
    outDir: fileURLToPath(new URL('../dist/recorder', import.meta.url)),
    emptyOutDir: true,
    // Browsers without optional chaining or CompressionStream still parse and run it (plain JSON).
    // es2020 would save only ~280 B gzip and make Chrome < 80 and Safari < 13.1 fail to parse it.
    target: 'es2019',
    // oxc. Terser saves 300 to 430 B more (npm run bench:recorder-size): a dependency to add when needed.
    minify: true,
    sourcemap: false,
  },
  environments: {
    client: {
      build: {
        lib: { entry: src('index.ts'), formats: ['iife'], name: 'frictionlensRecorder', fileName: () => 'recorder.js' },
      },
    },
    // init() and the API as an ES module, rrweb included: the site's own bundler minifies it.
    module: {
      consumer: 'client',
      build: {
        emptyOutDir: false,
        minify: false,
        lib: { entry: src('module.ts'), formats: ['es'], fileName: () => 'frictionlens.mjs' },
      },
    },
  },
  builder: {
    // recorder.js first: its build empties dist/recorder.
    async buildApp(builder) {
      await builder.build(builder.environments.client!);
      await builder.build(builder.environments.module!);
    },
  },
}));
