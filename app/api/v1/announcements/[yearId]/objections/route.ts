import { postObjectionEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { submitObjection } from '@/lib/assessment/objections';
import { clientAddress } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(postObjectionEndpoint, async ({ db, params, body, request }) => submitObjection(db, params.yearId, clientAddress(request.headers), body));
