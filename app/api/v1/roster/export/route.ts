import { exportRosterEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { rosterTables } from '@/lib/org/roster/export';
import { download } from '@/lib/org/roster/download';

export const dynamic = 'force-dynamic';

export const GET = handle(exportRosterEndpoint, async ({ db, caller, query }) =>
  download(await rosterTables(db, caller), query.format, query.sheet, 'roster'),
);
