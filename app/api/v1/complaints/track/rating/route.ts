import { rateComplaintEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/caller';
import { rateComplaint } from '@/lib/complaints/public';

export const dynamic = 'force-dynamic';

export const POST = handle(rateComplaintEndpoint, async ({ db, body, request }) => rateComplaint(db, clientAddress(request.headers), body));
