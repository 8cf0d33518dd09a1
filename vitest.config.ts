import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Browser tests of the pages themselves (axe, layout at phone widths, the workspace and ballot
 * lists, the accountability pages) that start their server on an embedded PGlite directory
 * whatever DATABASE_URL says: on the PostgreSQL run they would repeat the PGlite run unchanged
 * (same database, same pages), so that run leaves them out. Their queries are exercised on
 * PostgreSQL by the integration, security and other e2e tests, which follow DATABASE_URL.
 */
const EMBEDDED_BROWSER_TESTS = [
  'tests/e2e/accessibility.test.ts',
  'tests/e2e/office-layout.test.ts',
  'tests/e2e/workspace.test.ts',
  'tests/e2e/ballot-lists.test.ts',
  'tests/e2e/accountability.test.ts',
];

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    // *.pg.test.ts need a real PostgreSQL (several app instances on one database): they run with
    // npm run test:pg and in CI, and are not collected at all on PGlite. *.pglite.test.ts are about
    // the embedded database itself (kill -9 of the embedded server, a live backup of its directory):
    // they run on PGlite whatever DATABASE_URL says, so the PostgreSQL run leaves them out rather
    // than repeat them
    exclude: ['tests/bench/**', 'node_modules/**', ...(process.env.DATABASE_URL ? ['tests/**/*.pglite.test.ts', ...EMBEDDED_BROWSER_TESTS] : ['tests/**/*.pg.test.ts'])],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // two cores: two files at a time, each on its own fresh database
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
