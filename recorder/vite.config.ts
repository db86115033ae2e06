// Builds recorder.js, one minified IIFE a site loads with a single async <script> tag, and frictionlens.mjs for bundlers.
import { fileURLToPath } from 'node:url';
import { defineConfig, parseSync, type Plugin } from 'vite';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

// A function, so each build gets fresh objects: Vite writes into the environments it is given.
export default defineConfig(() => ({
  // Lib mode does not replace this by itself; a dependency reading it would throw on a page.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [stripRrwebCanvas()],
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

/** The bundled @rrweb/record module; its canvas section runs from the first line to the second. */
const RRWEB_RECORD_ID = /[\\/]@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;
// The worker's source, inside the section, repeats this line as a string, indented.
const CANVAS_SECTION_START = '\nvar chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";';
const CANVAS_SECTION_END = '\nclass StylesheetManager {';
/** All that record() and MutationBuffer call on the canvas manager (rrweb 2.1.6). */
const CANVAS_MANAGER_METHODS = new Set(['reset', 'freeze', 'unfreeze', 'lock', 'unlock']);
const CANVAS_MANAGER_STUB = `class CanvasManager {
  constructor(options) {
    if (options.recordCanvas) throw new Error("frictionlens: this build of rrweb cannot record canvas");
  }
  reset() {}
  freeze() {}
  unfreeze() {}
  lock() {}
  unlock() {}
}
`;

/**
 * We record with recordCanvas: false, yet rrweb's canvas code (2D and WebGL hooks, a base64
 * encoder, an inlined Web Worker) is ~3.2 KB of the gzipped bundle that no minifier can drop:
 * record() constructs a CanvasManager whatever the options, and the module builds the worker's
 * Blob when it loads. With recordCanvas false that manager only sets flags nothing reads, so
 * this swaps the section for a manager that does nothing and refuses recordCanvas: true (rrweb
 * then fails to start, and the recorder stays inert rather than recording blank canvases).
 * Canvas elements are still recorded as elements, without their pixels, exactly as before.
 * The build fails if a new rrweb no longer matches what this relies on.
 */
function stripRrwebCanvas(): Plugin {
  let stripped = false;
  return {
    name: 'frictionlens:strip-rrweb-canvas',
    enforce: 'pre',
    buildStart() {
      stripped = false;
    },
    transform(code, id) {
      if (!RRWEB_RECORD_ID.test(id)) return null;
      const start = code.indexOf(CANVAS_SECTION_START) + 1;
      const end = code.indexOf(CANVAS_SECTION_END) + 1;
      if (start === 0 || end <= start || code.includes(CANVAS_SECTION_START, start)) {
        throw new Error(`strip-rrweb-canvas: the canvas section of ${id} has moved; update recorder/vite.config.ts`);
      }
      checkCanvasSectionIsSeparable(parseSync(id, code).program as unknown as AstNode, start, end);
      const called = [...(code.slice(0, start) + code.slice(end)).matchAll(/canvasManager\.(\w+)/g)].map((m) => m[1]!);
      const unknown = called.filter((method) => !CANVAS_MANAGER_METHODS.has(method));
      if (unknown.length > 0) throw new Error(`strip-rrweb-canvas: rrweb now calls canvasManager.${unknown.join(', ')}`);
      stripped = true;
      return { code: code.slice(0, start) + CANVAS_MANAGER_STUB + code.slice(end), map: null };
    },
    buildEnd(error) {
      if (!error && !stripped) throw new Error('strip-rrweb-canvas: @rrweb/record was not bundled; remove the plugin');
    },
  };
}

type AstNode = { type: string; start: number; end: number; [key: string]: unknown };

/** The section is whole top-level statements, declares CanvasManager, and nothing else it declares is used outside it. */
function checkCanvasSectionIsSeparable(program: AstNode, start: number, end: number): void {
  const inSection = (node: AstNode) => node.start >= start && node.end <= end;
  const declared = new Set<string>();
  for (const statement of program.body as AstNode[]) {
    if (!inSection(statement)) {
      if (statement.end > start && statement.start < end) throw new Error('strip-rrweb-canvas: the section splits a statement');
      continue;
    }
    const ids = statement.type === 'VariableDeclaration' ? (statement.declarations as AstNode[]).map((d) => d.id) : [statement.id];
    for (const node of ids as (AstNode & { name?: string })[]) if (node?.name) declared.add(node.name);
  }
  if (!declared.has('CanvasManager')) throw new Error('strip-rrweb-canvas: the section no longer declares CanvasManager');
  const usedOutside = new Set<string>();
  // Conservative: any identifier outside the section with a removed name counts, even a property key.
  walk(program, (node) => {
    const name = node.type === 'Identifier' ? (node.name as string) : '';
    if (name !== 'CanvasManager' && declared.has(name) && !inSection(node)) usedOutside.add(name);
  });
  if (usedOutside.size > 0) throw new Error(`strip-rrweb-canvas: code outside the section uses ${[...usedOutside].join(', ')}`);
}

function walk(node: AstNode, visit: (node: AstNode) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as AstNode).type === 'string') walk(child as AstNode, visit);
    }
  }
}
