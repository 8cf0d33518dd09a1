import { fileComplaintEndpoint, listComplaintsEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/caller';
import { listComplaints } from '@/lib/complaints/handling';
import { fileComplaint } from '@/lib/complaints/public';

export const dynamic = 'force-dynamic';

export const GET = handle(listComplaintsEndpoint, async ({ db, caller, query }) => listComplaints(db, caller, query));
export const POST = handle(fileComplaintEndpoint, async ({ db, body, request }) => fileComplaint(db, clientAddress(request.headers), body));
