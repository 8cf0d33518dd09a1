import { getComplaintRulesEndpoint, setComplaintRulesEndpoint } from '@/lib/api/endpoints-complaints';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { getComplaintRules, setComplaintRules } from '@/lib/complaints/rules';

export const dynamic = 'force-dynamic';

export const GET = handle(getComplaintRulesEndpoint, async ({ db, caller }) => getComplaintRules(db, caller));
export const PUT = handle(setComplaintRulesEndpoint, async ({ db, caller, body }) => setComplaintRules(db, caller, actorOf(caller), body));
