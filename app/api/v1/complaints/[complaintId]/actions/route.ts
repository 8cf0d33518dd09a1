import { complaintActionEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { complaintAction } from '@/lib/complaints/handling';

export const dynamic = 'force-dynamic';

export const POST = handle(complaintActionEndpoint, async ({ db, caller, params, body }) => complaintAction(db, caller, actorOf(caller), params.complaintId, body));
