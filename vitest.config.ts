// Test runner configuration: unit tests beside the code, end-to-end tests in test/.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles runes in the viewer's .svelte.ts state classes for their unit tests.
  plugins: [svelte({ configFile: false })],
  // Component tests (`// @vitest-environment jsdom`) run in Vite's client environment: Svelte's browser
  // build, so mount() works; server tests keep the default node resolution.
  environments: { client: { resolve: { conditions: ['module', 'browser', 'development|production'] } } },
  test: {
    include: ['recorder/**/*.test.ts', 'server/**/*.test.ts', 'viewer/src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // Chromium tests are heavy; two cores do not gain from running many at once.
    maxWorkers: 2,
    // Tests wait on events, not on time; a loaded CI machine can stall a browser or a server for
    // many seconds, so the default deadline is generous (only a failing test waits it out).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // One throwaway PostgreSQL cluster and migrated template for the run, lent to the files that test on it.
    globalSetup: ['./test/support/postgres-global-setup.ts'],
  },
});
