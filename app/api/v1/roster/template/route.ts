import { rosterTemplateEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { templateTables } from '@/lib/org/roster/export';
import { download } from '@/lib/org/roster/download';

export const dynamic = 'force-dynamic';

export const GET = handle(rosterTemplateEndpoint, async ({ query }) => download(templateTables(), query.format, query.sheet, 'roster-template'));
