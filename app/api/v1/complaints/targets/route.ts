import { complaintTargetsEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { complaintTargets } from '@/lib/complaints/public';

export const dynamic = 'force-dynamic';

export const GET = handle(complaintTargetsEndpoint, async ({ db }) => ({ targets: await complaintTargets(db) }));
