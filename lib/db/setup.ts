import type { Actor } from '@/lib/audit/log';
import { seedDemo, isEmpty, type SeedSummary } from '@/lib/seed/demo';
import { rekeyTokenHashes } from '@/lib/rounds/tokens';
import { installLibrary } from '@/lib/surveys/library';
import type { DbHandle } from './client';
import { migrateDatabase, SETUP_LOCK_ID } from './migrate';

/**
 * What every start does, under one advisory lock so several instances starting together against
 * one PostgreSQL neither race the migrations nor seed twice: migrate, install the built-in
 * templates, and seed the demo district into an empty database when asked to.
 */
export async function prepareDatabase(
  handle: DbHandle,
  opts: { seed: boolean; actor?: Actor },
): Promise<{ seeded: SeedSummary | null }> {
  return handle.withLock(SETUP_LOCK_ID, async () => {
    await migrateDatabase(handle);
    const empty = await isEmpty(handle.db);
    const seeded = opts.seed && empty ? await seedDemo(handle.db, opts.actor ?? { type: 'system', label: 'first-start' }) : null;
    if (!seeded) await installLibrary(handle.db);
    // stored token hashes follow the secret in effect (after an upgrade, or PINGYI_TOKEN_SECRET set)
    await rekeyTokenHashes(handle.db);
    return { seeded };
  });
}
