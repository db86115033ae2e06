// Recorder size bench: builds recorder.js with each build option we considered and prints gzip -9 sizes.
// Run: npm run bench:recorder-size   (terser rows appear when `terser` resolves, e.g. npm i --no-save terser)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, mergeConfig, type InlineConfig, type Plugin, type Rolldown, type UserConfigFnObject } from 'vite';
import recorderConfig from '../recorder/vite.config';

/** The build plugins that rewrite rrweb's code; the stock-rrweb rows build without them. */
const RRWEB_PATCH_PLUGINS = new Set(['frictionlens:strip-rrweb-canvas', 'frictionlens:keep-rrweb-nodes-fast']);
/** Our budget, also enforced by test/e2e/recorder-budget.test.ts. */
const BUDGET_BYTES = 30 * 1024;

interface Row {
  option: string;
  rawBytes: number;
  gzipBytes: number;
}

const gzipSize = (code: string | Buffer) => gzipSync(code, { level: 9 }).length;

/** Builds in memory with the shipped config plus `overrides`; `stockRrweb` leaves rrweb's code as published. */
async function buildRecorder(overrides: InlineConfig, stockRrweb = false): Promise<string> {
  const base = (recorderConfig as UserConfigFnObject)({ command: 'build', mode: 'production' }) as InlineConfig;
  if (stockRrweb) base.plugins = (base.plugins as Plugin[]).filter((plugin) => !RRWEB_PATCH_PLUGINS.has(plugin.name));
  const inMemory = mergeConfig(base, { configFile: false, logLevel: 'silent', build: { write: false } });
  const config = mergeConfig(inMemory, overrides);
  const result = (await build(config)) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const [output] = Array.isArray(result) ? result : [result];
  const chunk = output!.output.find((item) => item.type === 'chunk' && item.fileName === 'recorder.js');
  if (!chunk || chunk.type !== 'chunk') throw new Error('no recorder.js in the build output');
  return chunk.code;
}

async function measure(option: string, overrides: InlineConfig, stockRrweb = false): Promise<Row> {
  const code = await buildRecorder(overrides, stockRrweb);
  return { option, rawBytes: Buffer.byteLength(code), gzipBytes: gzipSize(code) };
}

/** Terser from the repo or NODE_PATH; vite's own terser path needs it inside the repo. */
function loadTerser(): { minify(code: string, options: object): Promise<{ code?: string }> } | null {
  try {
    return createRequire(import.meta.url)('terser');
  } catch {
    return null;
  }
}

const TERSER_UNSAFE = {
  passes: 3,
  unsafe: true,
  unsafe_arrows: true,
  unsafe_comps: true,
  unsafe_methods: true,
  pure_getters: true,
};

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = async (option: string, overrides: InlineConfig, stockRrweb = false) => {
    rows.push(await measure(option, overrides, stockRrweb));
  };

  await add('shipped: oxc, es2019, rrweb canvas stripped', {});
  await add('  stock rrweb: canvas not stripped (before)', {}, true);
  await add('  target es2020', { build: { target: 'es2020' } });
  await add('  target es2022', { build: { target: 'es2022' } });
  await add('  minify esbuild', { build: { minify: 'esbuild' } });
  await add('  not minified', { build: { minify: false } });
  await add('  treeshake: no module side effects', {
    build: { rolldownOptions: { treeshake: { moduleSideEffects: false, propertyReadSideEffects: false } } },
  });
  // rrweb's full package bundles the replayer and its styles, and its dist keeps them.
  await add("  record from 'rrweb' (not stripped)", { resolve: { alias: { '@rrweb/record': 'rrweb' } } }, true);

  const terser = loadTerser();
  if (terser) {
    const unminified = await buildRecorder({ build: { minify: false } });
    for (const [option, compress] of [
      ['  terser, defaults', {}],
      ['  terser, passes 2', { passes: 2 }],
      ['  terser, passes 3 + unsafe', TERSER_UNSAFE],
    ] as const) {
      const { code = '' } = await terser.minify(unminified, { ecma: 2019, compress, mangle: true });
      rows.push({ option, rawBytes: Buffer.byteLength(code), gzipBytes: gzipSize(code) });
    }
  } else {
    console.log('terser is not installed: its rows are left out');
  }

  const umd = readFileSync(fileURLToPath(new URL('../node_modules/@rrweb/record/dist/record.umd.min.cjs', import.meta.url)));
  rows.push({ option: 'reference: @rrweb/record record.umd.min.cjs', rawBytes: umd.length, gzipBytes: gzipSize(umd) });

  const shipped = rows[0]!.gzipBytes;
  console.log(`recorder.js, gzip -9 (budget ${BUDGET_BYTES} B)\n`);
  console.log('| build option | minified B | gzip -9 B | vs shipped |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    const delta = row === rows[0] ? '' : `${row.gzipBytes - shipped >= 0 ? '+' : ''}${row.gzipBytes - shipped}`;
    console.log(`| ${row.option.trim()} | ${row.rawBytes} | ${row.gzipBytes} | ${delta} |`);
  }
  console.log(`\nheadroom under the budget: ${BUDGET_BYTES - shipped} B`);
}

await main();
