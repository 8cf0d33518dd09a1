import { getComplaintEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { getComplaint } from '@/lib/complaints/handling';

export const dynamic = 'force-dynamic';

export const GET = handle(getComplaintEndpoint, async ({ db, caller, params }) => getComplaint(db, caller, params.complaintId));
