import { createRoundEndpoint } from '@/lib/api/endpoints-rounds';
import { actorOf } from '@/lib/auth/caller';
import { createRound } from '@/lib/rounds/mutations';
import { listRounds } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listRounds as queryRounds } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listRounds, async ({ db, caller, query }) => {
  const rounds = await queryRounds(db, caller, { status: query.status, limit: query.limit });
  return {
    rounds: rounds.map((r) => ({
      id: r.id,
      title: r.title,
      schoolYear: r.schoolYear,
      term: r.term,
      status: r.status,
      testMode: r.testMode,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      responses: r.responses,
      expected: r.expected,
    })),
  };
});

export const POST = handle(createRoundEndpoint, async ({ db, caller, body }) => ({ id: (await createRound(db, caller, actorOf(caller), body)).id }));
