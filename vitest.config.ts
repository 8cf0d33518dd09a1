import path from 'node:path';
import { defineConfig } from 'vitest/config';

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
    exclude: ['tests/bench/**', 'node_modules/**', ...(process.env.DATABASE_URL ? ['tests/**/*.pglite.test.ts'] : ['tests/**/*.pg.test.ts'])],
    globalSetup: ['tests/helpers/global-setup.ts'],
    // two cores: two files at a time, each on its own fresh database
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
