import { importRosterEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { importRosterFile } from '@/lib/org/roster/apply';

export const dynamic = 'force-dynamic';

export const POST = handle(importRosterEndpoint, async ({ db, caller, query, file }) => {
  const dryRun = query.dryRun === 'true';
  const summary = await importRosterFile(db, caller, actorOf(caller), file!, { dryRun, sheet: query.sheet });
  return { applied: !dryRun, summary };
});
