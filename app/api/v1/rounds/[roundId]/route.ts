import { readScoringConfig } from '@/lib/scoring/config';
import { getRoundEndpoint, updateRoundEndpoint } from '@/lib/api/endpoints-rounds';
import { actorOf } from '@/lib/auth/caller';
import { updateRound } from '@/lib/rounds/mutations';
import { handle } from '@/lib/api/handler';
import { getRound } from '@/lib/rounds/queries';
import { effectiveStatus } from '@/lib/rounds/status';
import { retainUntil } from '@/lib/retention/policy';

export const dynamic = 'force-dynamic';

export const GET = handle(getRoundEndpoint, async ({ db, caller, params }) => {
  const { round, groups, forms, schools } = await getRound(db, caller, params.roundId);
  return {
    id: round.id,
    title: round.title,
    schoolYear: round.schoolYear,
    term: round.term,
    status: round.status,
    effectiveStatus: effectiveStatus(round),
    testMode: round.testMode,
    opensAt: round.opensAt.toISOString(),
    closesAt: round.closesAt.toISOString(),
    retainUntil: retainUntil(round).toISOString(),
    answersPurgedAt: round.answersPurgedAt?.toISOString() ?? null,
    pooledReleasedAt: round.pooledReleasedAt?.toISOString() ?? null,
    anonymityThreshold: round.anonymityThreshold,
    commentThreshold: round.commentThreshold,
    scoring: readScoringConfig(round.scoring),
    raterGroups: groups.map((g) => ({ id: g.id, kind: g.kind, name: g.name, weight: g.weight })),
    forms: forms.map((f) => ({ id: f.form.id, title: f.form.title, subjectMode: f.form.subjectMode, raterGroupId: f.form.raterGroupId, template: f.templateName, version: f.version })),
    schools: schools.map((s) => ({ id: s.id, name: s.name })),
  };
});

export const PATCH = handle(updateRoundEndpoint, async ({ db, caller, params, body }) => ({
  id: (await updateRound(db, caller, actorOf(caller), params.roundId, body)).id,
}));
