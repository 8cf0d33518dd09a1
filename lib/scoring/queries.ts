/**
 * Round results for a caller: reads the pre-aggregated counts (or, to check them, the raw answers),
 * scopes them by role and unit, holds them back until released to the caller's role, and hands
 * them to the pure functions in results.ts.
 */
import { inArray } from 'drizzle-orm';
import type { Scope } from '@/lib/auth/scope';
import { rawQuery, type Db } from '@/lib/db/client';
import { staff, templateVersions, units, type Round } from '@/lib/db/schema';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { getRound } from '@/lib/rounds/queries';
import { scoredQuestions } from '@/lib/surveys/annotations';
import { readScoringConfig } from './config';
import { RAW_SCHOOL_COUNTS, RAW_SUBJECT_COUNTS } from './counters';
import { keywordFrequencies } from './keywords';
import { gradeVotes, itemResults, summarize, type CountRecord, type RoundMeta, type View } from './results';
import type { ResultsQuery, RoundResults } from './schemas';
import { shrinkTowardMean } from './shrinkage';

/** `counts` reads the count tables (the fast path); `raw` recomputes from every answer. */
export type CountSource = 'counts' | 'raw';

/** At most this many comments are listed for one subject or school (keywords use them all). */
export const COMMENT_LIMIT = 500;

const SCHOOL_COLUMNS = `form_id as "formId", school_id as "schoolId", question, "row", value, min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n`;
const SUBJECT_COLUMNS = `form_id as "formId", school_id as "schoolId", subject_type as "subjectType", subject_id as "subjectId", question, "row", value,
  min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n`;
const SUBJECT_GROUP = `group by form_id, school_id, subject_type, subject_id, question, "row", value`;

export function schoolCounts(db: Db, roundId: string, source: CountSource = 'counts') {
  const from = source === 'counts' ? 'school_counts where round_id = $1::uuid' : `(${RAW_SCHOOL_COUNTS}) c`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SCHOOL_COLUMNS} from ${from} group by form_id, school_id, question, "row", value`, [roundId]);
}

export function subjectCounts(db: Db, roundId: string, filter: { schoolId: string } | { subjectId: string }, source: CountSource = 'counts') {
  const [column, value] = 'schoolId' in filter ? ['school_id', filter.schoolId] : ['subject_id', filter.subjectId];
  const from = source === 'counts' ? `subject_counts where round_id = $1::uuid and ${column} = $2::uuid` : `(${RAW_SUBJECT_COUNTS}) c where ${column} = $2::uuid`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SUBJECT_COLUMNS} from ${from} ${SUBJECT_GROUP}`, [roundId, value]);
}

/** Comments on a subject or on a school's subjects (valid responses only), and how many there are. */
async function commentsOf(db: Db, roundId: string, questions: string[], where: { subjectId: string } | { schoolId: string }) {
  if (!questions.length) return { total: 0, list: [] as string[], all: [] as string[] };
  const filter = 'schoolId' in where ? 'f.school_id = $2::uuid' : '(f.subject_staff_id = $2::uuid or f.subject_unit_id = $2::uuid)';
  const rows = await rawQuery<{ value: string }>(
    db,
    `select f.value from answer_facts f join responses r on r.id = f.response_id
     where f.round_id = $1::uuid and ${filter} and f.question = any($3::text[]) and r.status = 'valid' and length(trim(f.value)) > 0
     order by f.value`,
    [roundId, 'schoolId' in where ? where.schoolId : where.subjectId, `{${questions.map((q) => `"${q.replace(/"/g, '\\"')}"`).join(',')}}`],
  );
  const all = rows.map((r) => r.value);
  return { total: all.length, list: all.slice(0, COMMENT_LIMIT), all };
}

const BELOW_OFFICE = ['school_admin', 'staff', 'supervisor'];

/** Results are the office's from the start; schools (and supervisors) see them once released to schools, staff once released to staff. */
function assertReleased(round: Round, scope: Scope) {
  if (scope.role === 'office') return;
  const released = scope.role === 'staff' ? round.releasedToStaffAt : round.releasedToSchoolsAt;
  if (!released) throw new ForbiddenError('not_released');
}

async function roundMeta(db: Db, round: Round, loaded: Awaited<ReturnType<typeof getRound>>): Promise<RoundMeta> {
  const versionIds = [...new Set(loaded.forms.map((f) => f.form.templateVersionId))];
  const versions = versionIds.length ? await db.select({ id: templateVersions.id, definition: templateVersions.definition }).from(templateVersions).where(inArray(templateVersions.id, versionIds)) : [];
  const questions = new Map(versions.map((v) => [v.id, scoredQuestions(v.definition)]));
  return {
    threshold: round.anonymityThreshold,
    commentThreshold: round.commentThreshold,
    config: readScoringConfig(round.scoring),
    groups: loaded.groups.map((g) => ({ id: g.id, name: g.name, kind: g.kind, weight: g.weight })),
    forms: loaded.forms.map((f) => ({ id: f.form.id, raterGroupId: f.form.raterGroupId, questions: questions.get(f.form.templateVersionId) ?? [] })),
  };
}

function describeTrim(meta: RoundMeta): string {
  const t = meta.config.trim;
  return t.kind === 'extremes' ? `drop highest and lowest above ${t.above}` : t.kind === 'percent' ? `drop ${t.percent}% each end` : 'none';
}

/** A summary without its internal variance (used for shrinkage, not part of the API). */
function strip<T extends { variance: unknown }>(s: T): Omit<T, 'variance'> {
  const copy: Partial<T> = { ...s };
  delete copy.variance;
  return copy as Omit<T, 'variance'>;
}

/**
 * The results of a round at one level (district: every school; school: every subject in it;
 * subject: one teacher or unit in detail), scoped and suppressed for the caller.
 */
export async function getRoundResults(db: Db, scope: Scope, roundId: string, query: ResultsQuery, source: CountSource = 'counts'): Promise<RoundResults> {
  const loaded = await getRound(db, scope, roundId);
  const { round } = loaded;
  assertReleased(round, scope);
  const office = scope.role === 'office';
  if (scope.role === 'staff' && (query.level !== 'subject' || !scope.staffId || query.subjectId !== scope.staffId)) throw new ForbiddenError('own_results_only');
  const meta = await roundMeta(db, round, loaded);
  const view: View = {
    suppressBelow: BELOW_OFFICE.includes(scope.role) ? round.anonymityThreshold : null,
    raterGroupId: query.raterGroupId,
    dimension: query.dimension,
  };
  const visible = new Map(loaded.schools.map((s) => [s.id, s.name]));

  const all = await schoolCounts(db, roundId, source);
  const bySchool = groupBy(all, (r) => r.schoolId);
  const district = summarize({ key: round.unitId, type: 'district', name: '' }, all, meta, view);
  const schoolSummary = (id: string) => summarize({ key: id, type: 'school', name: visible.get(id) ?? '' }, bySchool.get(id) ?? [], meta, view);

  const commentQuestions = [...new Set(meta.forms.flatMap((f) => f.questions.filter((q) => q.role === 'comment').map((q) => q.name)))];
  const dimensions = [...new Set(all.map((r) => r.dimension).filter((d): d is string => Boolean(d)))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const result: RoundResults = {
    round: {
      id: round.id,
      title: round.title,
      schoolYear: round.schoolYear,
      term: round.term,
      status: round.status,
      anonymityThreshold: round.anonymityThreshold,
      commentThreshold: round.commentThreshold,
      trim: describeTrim(meta),
      dimensions,
      raterGroups: meta.groups,
    },
    level: query.level,
    district: strip(district),
    schools: [],
    school: null,
    subjects: [],
    shrinkage: null,
    subject: null,
    items: [],
    grades: [],
    comments: null,
  };

  const comments = async (where: { subjectId: string } | { schoolId: string }, respondents: number) => {
    const hidden = !office && respondents < round.commentThreshold;
    if (hidden) return { suppressed: true, total: 0, list: [], keywords: [] };
    const c = await commentsOf(db, roundId, commentQuestions, where);
    return { suppressed: false, total: c.total, list: c.list, keywords: keywordFrequencies(c.all) };
  };

  if (query.level === 'district') {
    result.schools = [...visible.keys()].map((id) => strip(schoolSummary(id))).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    return result;
  }

  if (query.level === 'school') {
    const schoolId = query.schoolId!;
    if (!visible.has(schoolId)) throw new ForbiddenError('outside_scope');
    const school = schoolSummary(schoolId);
    result.school = strip(school);
    const records = await subjectCounts(db, roundId, { schoolId }, source);
    const bySubject = groupBy(records, (r) => r.subjectId!);
    const names = await subjectNames(db, [...bySubject.keys()]);
    const summaries = [...bySubject.entries()].map(([id, rows]) =>
      summarize({ key: id, type: rows[0]!.subjectType === 'staff' ? 'staff' : 'unit', name: names.get(id) ?? '' }, rows, meta, view),
    );
    const shrink = meta.config.shrinkage
      ? shrinkTowardMean(summaries.filter((s) => s.type === 'staff' && s.score !== null).map((s) => ({ key: s.key, mean: s.score!, n: s.respondents, variance: s.variance })))
      : null;
    const ranked = new Map(shrink?.subjects.map((s) => [s.key, s]) ?? []);
    result.shrinkage = shrink && { method: shrink.method, pooledMean: shrink.pooledMean, withinVariance: shrink.withinVariance, betweenVariance: shrink.betweenVariance };
    result.subjects = summaries
      .map((s) => ({ ...strip(s), shrunk: ranked.get(s.key)?.shrunk ?? null, rank: ranked.get(s.key)?.rank ?? null }))
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh-CN'));
    result.comments = await comments({ schoolId }, school.respondents);
    return result;
  }

  const subjectId = query.subjectId!;
  const records = (await subjectCounts(db, roundId, { subjectId }, source)).filter((r) => visible.has(r.schoolId));
  if (!records.length) throw new NotFoundError('subject');
  const schoolId = records[0]!.schoolId;
  const names = await subjectNames(db, [subjectId]);
  const subject = summarize({ key: subjectId, type: records[0]!.subjectType === 'staff' ? 'staff' : 'unit', name: names.get(subjectId) ?? '' }, records, meta, view);
  result.subject = strip(subject);
  result.school = strip(schoolSummary(schoolId));
  if (!subject.suppressed) {
    result.items = itemResults(records, meta, view);
    result.grades = gradeVotes(records, meta, view);
  }
  result.comments = await comments({ subjectId }, subject.respondents);
  return result;
}

/** Map.groupBy arrives in Node 21; this runs on Node 20. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

async function subjectNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const people = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids));
  const places = await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ids));
  return new Map([...people, ...places].map((x) => [x.id, x.name]));
}
