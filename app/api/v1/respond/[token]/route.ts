import { getRespondEndpoint, postRespondEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { clientAddress } from '@/lib/auth/caller';
import { resolveToken, submitResponse } from '@/lib/responses/respond';

export const dynamic = 'force-dynamic';

export const GET = handle(getRespondEndpoint, async ({ db, params, request }) => {
  const r = await resolveToken(db, params.token, clientAddress(request.headers));
  return { round: { title: r.round.title, closesAt: r.round.closesAt.toISOString() }, school: r.schoolName, className: r.className, subjects: r.subjects, definition: r.definition };
});

export const POST = handle(postRespondEndpoint, async ({ db, params, body, request }) => submitResponse(db, params.token, clientAddress(request.headers), body));
