import { importEntriesEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { importEntriesFile } from '@/lib/assessment/entries';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(importEntriesEndpoint, async ({ db, caller, params, query, file }) => {
  const dryRun = query.dryRun === 'true';
  const result = await importEntriesFile(db, caller, actorOf(caller), params.yearId, file!, { dryRun });
  return { applied: !dryRun, ...result };
});
