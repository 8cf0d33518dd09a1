import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are committed and applied by lib/db/migrate.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
