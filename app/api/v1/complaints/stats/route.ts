import { complaintStatsEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { complaintStats } from '@/lib/complaints/stats';

export const dynamic = 'force-dynamic';

export const GET = handle(complaintStatsEndpoint, async ({ db, caller }) => complaintStats(db, caller));
