import { trackComplaintEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/caller';
import { trackComplaint } from '@/lib/complaints/public';

export const dynamic = 'force-dynamic';

export const POST = handle(trackComplaintEndpoint, async ({ db, body, request }) => trackComplaint(db, clientAddress(request.headers), body));
