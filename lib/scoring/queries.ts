/**
 * Round results for a caller: reads the pre-aggregated counts (or, to check them, the raw answers),
 * scopes them by role and unit, holds them back until released to the caller's role, and hands
 * them to the pure functions in results.ts.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Scope } from '@/lib/auth/scope';
import { rawQuery, type Db } from '@/lib/db/client';
import { roundUnits, staff, templateVersions, units, type Round } from '@/lib/db/schema';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { getRound } from '@/lib/rounds/queries';
import { scoredQuestions } from '@/lib/surveys/annotations';
import { readScoringConfig } from './config';
import { RAW_SCHOOL_COUNTS, RAW_SUBJECT_COUNTS } from './counters';
import { keywordFrequencies } from './keywords';
import {
  anyWithheld,
  commentsAllowed,
  disclosureFor,
  hiddenCells,
  NOTHING_HIDDEN,
  publishedRecords,
  publishScore,
  publishShare,
  publishShrinkage,
  publishStats,
  publishSummary,
  type Audience,
  type Disclosure,
} from './disclosure';
import { gradeVotes, itemResults, summarize, type CountRecord, type RoundMeta, type View } from './results';
import type { ResultsQuery, RoundResults, Summary } from './schemas';
import { shrinkTowardMean } from './shrinkage';

/** `counts` reads the count tables (the fast path); `raw` recomputes from every answer. */
export type CountSource = 'counts' | 'raw';

/** At most this many comments are listed for one subject or school (keywords use them all). */
export const COMMENT_LIMIT = 500;

const SCHOOL_COLUMNS = `form_id as "formId", school_id as "schoolId", question, "row", value, min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n`;
const SUBJECT_COLUMNS = `form_id as "formId", school_id as "schoolId", subject_type as "subjectType", subject_id as "subjectId", question, "row", value,
  min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n`;
// a cell whose answers were all voided keeps its count rows at n = 0: left out, as the raw recompute
// (which never sees them) leaves it out, so a subject with only voided answers lists no items
const SUBJECT_GROUP = `group by form_id, school_id, subject_type, subject_id, question, "row", value having sum(n) <> 0`;

export function schoolCounts(db: Db, roundId: string, source: CountSource = 'counts') {
  const from = source === 'counts' ? 'school_counts where round_id = $1::uuid' : `(${RAW_SCHOOL_COUNTS}) c`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SCHOOL_COLUMNS} from ${from} group by form_id, school_id, question, "row", value having sum(n) <> 0`, [roundId]);
}

export function subjectCounts(db: Db, roundId: string, filter: { schoolId: string } | { subjectId: string }, source: CountSource = 'counts') {
  const [column, value] = 'schoolId' in filter ? ['school_id', filter.schoolId] : ['subject_id', filter.subjectId];
  const from = source === 'counts' ? `subject_counts where round_id = $1::uuid and ${column} = $2::uuid` : `(${RAW_SUBJECT_COUNTS}) c where ${column} = $2::uuid`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SUBJECT_COLUMNS} from ${from} ${SUBJECT_GROUP}`, [roundId, value]);
}

/** Every subject's counts of a round (the annual assessment reads every person at once). */
export function roundSubjectCounts(db: Db, roundId: string, source: CountSource = 'counts') {
  const from = source === 'counts' ? 'subject_counts where round_id = $1::uuid' : `(${RAW_SUBJECT_COUNTS}) c`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SUBJECT_COLUMNS} from ${from} ${SUBJECT_GROUP}`, [roundId]);
}

/**
 * The counts of a round's district-wide subjects: the units on its ballots (学区办公室, schools,
 * 领导班子) and the staff on them who belong to no school (office staff, district leaders).
 */
async function districtSubjectCounts(db: Db, roundId: string, source: CountSource) {
  const ids = await rawQuery<{ id: string }>(
    db,
    `select distinct coalesce(b.unit_id, b.staff_id) as id from ballot_entries b join round_forms f on f.id = b.form_id
     left join staff s on s.id = b.staff_id left join units u on u.id = s.unit_id
     where f.round_id = $1::uuid and (b.unit_id is not null or u.kind <> 'school')`,
    [roundId],
  );
  if (!ids.length) return [];
  const from = source === 'counts' ? 'subject_counts c where c.round_id = $1::uuid' : `(${RAW_SUBJECT_COUNTS}) c where true`;
  return rawQuery<CountRecord & Record<string, unknown>>(db, `select ${SUBJECT_COLUMNS} from ${from} and c.subject_id = any($2::uuid[]) ${SUBJECT_GROUP}`, [
    roundId,
    `{${ids.map((r) => r.id).join(',')}}`,
  ]);
}

/** The rated subject of a comment fact: a staff member or a unit. */
const FACT_SUBJECT = 'coalesce(f.subject_staff_id, f.subject_unit_id)';

/**
 * Comments (valid responses only) from these schools, about one subject or about any subject of
 * them; `cells` (subject:group pairs), when given, admits only comments from those cells.
 */
async function commentsOf(db: Db, roundId: string, questions: string[], where: { schoolIds: string[]; subjectId?: string; cells?: string[] }) {
  if (!questions.length || !where.schoolIds.length || (where.cells && !where.cells.length)) return { total: 0, list: [] as string[], all: [] as string[] };
  const params: unknown[] = [roundId, `{${where.schoolIds.join(',')}}`, `{${questions.map((q) => `"${q.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`];
  let filter = '';
  if (where.subjectId) {
    params.push(where.subjectId);
    filter += ` and ${FACT_SUBJECT} = $${params.length}::uuid`;
  }
  if (where.cells) {
    params.push(`{${where.cells.join(',')}}`);
    filter += ` and (${FACT_SUBJECT}::text || ':' || f.rater_group_id::text) = any($${params.length}::text[])`;
  }
  const rows = await rawQuery<{ value: string }>(
    db,
    `select f.value from answer_facts f join responses r on r.id = f.response_id
     where f.round_id = $1::uuid and f.school_id = any($2::uuid[]) and f.question = any($3::text[])${filter} and r.status = 'valid' and length(trim(f.value)) > 0
     order by f.value`,
    params,
  );
  const all = rows.map((r) => r.value);
  return { total: all.length, list: all.slice(0, COMMENT_LIMIT), all };
}

export async function roundMeta(db: Db, round: Round, loaded: Awaited<ReturnType<typeof getRound>>): Promise<RoundMeta> {
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

const bySchoolUnit = (r: CountRecord) => r.schoolId;
const bySubjectUnit = (r: CountRecord) => r.subjectId!;

/** One school's subjects with the cells hidden below the office (complementary suppression within the school). */
async function schoolFamily(db: Db, roundId: string, schoolId: string, meta: RoundMeta, d: Disclosure, source: CountSource) {
  const raw = await subjectCounts(db, roundId, { schoolId }, source);
  const hidden = d.exact ? NOTHING_HIDDEN : hiddenCells(raw, meta, d.threshold, bySubjectUnit, true);
  return { raw, hidden, published: publishedRecords(raw, meta, hidden, bySubjectUnit) };
}

/** subject:group cells of these records that have valid respondents (the cells comments may come from). */
function respondedCells(records: readonly CountRecord[], meta: RoundMeta): string[] {
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  return [...new Set(records.filter((r) => r.question === '' && r.value === 'valid' && r.n > 0).map((r) => `${r.subjectId}:${formGroup.get(r.formId)}`))];
}

export interface ResultsOptions {
  /** `counts` (default) or `raw` */
  source?: CountSource;
  audience?: Audience;
  /** where the figures, comments and names are read (a streaming replica); default: `db` */
  replica?: Db;
}

/**
 * The results of a round at one level (district: every school; school: every subject in it;
 * subject: one teacher or unit in detail), scoped, released and disclosed for the caller through
 * the disclosure gate (disclosure.ts). `audience: 'below_office'` computes, with the office's
 * scope, what anyone below the office would be shown (the annual assessment uses it).
 */
export async function getRoundResults(db: Db, scope: Scope, roundId: string, query: ResultsQuery, options: ResultsOptions = {}): Promise<RoundResults> {
  const { source = 'counts', audience = 'caller' } = options;
  // the gate (scope, release, the round's settings) is the primary's: a release or a withdrawal
  // holds at once; the figures may come from a replica a moment behind
  const loaded = await getRound(db, scope, roundId);
  const figures = options.replica ?? db;
  const { round } = loaded;
  const d = disclosureFor(scope, round, audience);
  if (audience === 'caller' && scope.role === 'staff' && (query.level !== 'subject' || !scope.staffId || query.subjectId !== scope.staffId)) throw new ForbiddenError('own_results_only');
  const meta = await roundMeta(db, round, loaded);
  const view: View = {
    suppressBelow: d.exact ? null : d.threshold,
    raterGroupId: query.raterGroupId,
    dimension: query.dimension,
  };
  const visible = new Map(loaded.schools.map((s) => [s.id, s.name]));

  // schools' cells: a school's figure is computed from its published cells, the district's from
  // the published cells of every school (so no school's hidden cell is in the district figure)
  const allRaw = await schoolCounts(figures, roundId, source);
  const schoolHidden = d.exact ? NOTHING_HIDDEN : hiddenCells(allRaw, meta, d.threshold, bySchoolUnit, false);
  const all = publishedRecords(allRaw, meta, schoolHidden, bySchoolUnit);
  const bySchool = groupBy(all, (r) => r.schoolId);
  const rawBySchool = groupBy(allRaw, (r) => r.schoolId);
  const district = summarize({ key: round.unitId, type: 'district', name: '' }, all, meta, view);
  const publish = <S extends Summary>(s: S, withheld: boolean) => publishSummary({ ...s, withheld: !d.exact && withheld }, d);
  const schoolSummary = (id: string) =>
    publish(strip(summarize({ key: id, type: 'school', name: visible.get(id) ?? '' }, bySchool.get(id) ?? [], meta, view)), anyWithheld(rawBySchool.get(id) ?? [], meta, schoolHidden, bySchoolUnit));

  const commentQuestions = [...new Set(meta.forms.flatMap((f) => f.questions.filter((q) => q.role === 'comment').map((q) => q.name)))];
  const dimensions = [...new Set(allRaw.map((r) => r.dimension).filter((x): x is string => Boolean(x)))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
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
    district: publish(strip(district), anyWithheld(allRaw, meta, schoolHidden, bySchoolUnit)),
    schools: [],
    school: null,
    subjects: [],
    shrinkage: null,
    subject: null,
    parts: [],
    items: [],
    grades: [],
    comments: null,
  };

  /** Comments from these schools (and cells, below the office), unless held back. */
  const comments = async (where: { schoolIds: string[]; subjectId?: string; cells?: string[] }, allowed: boolean) => {
    if (!allowed) return { suppressed: true, total: 0, list: [], keywords: [] };
    const c = await commentsOf(figures, roundId, commentQuestions, where);
    return { suppressed: false, total: c.total, list: c.list, keywords: keywordFrequencies(c.all) };
  };

  if (query.level === 'district') {
    result.schools = [...visible.keys()].map((id) => schoolSummary(id)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    // the office also sees the district-wide subjects (units and office staff on the ballots), pooled
    if (d.exact) {
      const parts = await roundParts(db, round, loaded, false);
      const rows = (await districtSubjectCounts(figures, roundId, source)).filter((r) => parts.has(r.schoolId));
      const info = await subjectInfo(figures, [...new Set(rows.map(bySubjectUnit))]);
      result.subjects = [...groupBy(rows, bySubjectUnit)]
        .map(([id, list]) => ({ ...publish(strip(summarize({ key: id, type: list[0]!.subjectType === 'staff' ? 'staff' : 'unit', name: info.get(id)?.name ?? '' }, list, meta, view)), false), shrunk: null, rank: null }))
        .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name, 'zh-CN') : a.type === 'staff' ? -1 : 1));
    }
    return result;
  }

  if (query.level === 'school') {
    const schoolId = query.schoolId!;
    if (!visible.has(schoolId)) throw new ForbiddenError('outside_scope');
    result.school = schoolSummary(schoolId);
    const family = await schoolFamily(figures, roundId, schoolId, meta, d, source);
    const rawBySubject = groupBy(family.raw, bySubjectUnit);
    const bySubject = groupBy(family.published, bySubjectUnit);
    const info = await subjectInfo(figures, [...rawBySubject.keys()]);
    const summaries = [...rawBySubject.entries()].map(([id, rows]) => ({
      summary: summarize({ key: id, type: rows[0]!.subjectType === 'staff' ? 'staff' : 'unit', name: info.get(id)?.name ?? '' }, bySubject.get(id) ?? [], meta, view),
      withheld: anyWithheld(rows, meta, family.hidden, bySubjectUnit),
      teacher: info.get(id)?.teacher ?? false,
    }));
    // teachers are ranked among themselves; office staff and units on the school's ballots are not
    const shrink = meta.config.shrinkage
      ? shrinkTowardMean(summaries.filter((x) => x.teacher && x.summary.score !== null).map(({ summary: s }) => ({ key: s.key, mean: s.score!, n: s.respondents ?? 0, variance: s.variance })))
      : null;
    const ranked = new Map(shrink?.subjects.map((s) => [s.key, s]) ?? []);
    result.shrinkage = publishShrinkage(shrink && { method: shrink.method, pooledMean: shrink.pooledMean, withinVariance: shrink.withinVariance, betweenVariance: shrink.betweenVariance }, d);
    result.subjects = summaries
      .map(({ summary, withheld }) => ({ ...publish(strip(summary), withheld), shrunk: publishScore(ranked.get(summary.key)?.shrunk ?? null, d), rank: ranked.get(summary.key)?.rank ?? null }))
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.name.localeCompare(b.name, 'zh-CN'));
    // a school's comments are its subjects' comments, each subject gated on its own respondents
    const allowed = new Set(summaries.filter(({ summary }) => commentsAllowed(summary.suppressed ? 0 : (summary.respondents ?? 0), d)).map(({ summary }) => summary.key));
    const cells = d.exact ? undefined : respondedCells(family.published, meta).filter((c) => allowed.has(c.split(':')[0]!));
    result.comments = await comments({ schoolIds: [schoolId], cells }, d.exact || allowed.size > 0);
    return result;
  }

  const subjectId = query.subjectId!;
  // a staff member reads their own figure whole: every part of the round, pooled
  const whole = audience === 'caller' && scope.role === 'staff' && scope.staffId === subjectId;
  const parts = await roundParts(db, round, loaded, whole);
  const own = (await subjectCounts(figures, roundId, { subjectId }, source)).filter((r) => parts.has(r.schoolId));
  if (!own.length) throw new NotFoundError('subject');
  const partIds = [...parts.keys()].filter((id) => own.some((r) => r.schoolId === id));
  // the subject's cells as published on each of its parts' pages (below the office)
  const byPart = new Map<string, { records: CountRecord[]; withheld: boolean }>();
  for (const id of partIds) {
    if (d.exact) {
      byPart.set(id, { records: own.filter((r) => r.schoolId === id), withheld: false });
      continue;
    }
    const family = await schoolFamily(figures, roundId, id, meta, d, source);
    byPart.set(id, {
      records: family.published.filter((r) => r.subjectId === subjectId),
      withheld: anyWithheld(family.raw.filter((r) => r.subjectId === subjectId), meta, family.hidden, bySubjectUnit),
    });
  }
  const records = [...byPart.values()].flatMap((p) => p.records);
  const withheld = [...byPart.values()].some((p) => p.withheld);
  const info = await subjectInfo(figures, [subjectId]);
  const type = own[0]!.subjectType === 'staff' ? 'staff' : 'unit';
  // pooled: each rater group over all the subject's parts, the group weights applied once
  const subject = summarize({ key: subjectId, type, name: info.get(subjectId)?.name ?? '' }, records, meta, view);
  result.subject = publish(strip(subject), withheld);
  result.parts = partIds.map((id) =>
    publish(strip(summarize({ key: id, type: id === round.unitId ? 'district' : 'school', name: parts.get(id) ?? '' }, byPart.get(id)!.records, meta, view)), byPart.get(id)!.withheld),
  );
  const home = partIds.find((id) => visible.has(id));
  result.school = home ? schoolSummary(home) : null;
  if (!subject.suppressed) {
    // every item and vote is listed; those of hidden cells as suppressed, with no numbers
    const itemKey = (i: { formId: string; question: string; row: string }) => `${i.formId}:${i.question}:${i.row}`;
    const shown = new Map(itemResults(records, meta, view).map((i) => [itemKey(i), i]));
    result.items = itemResults(own, meta, view).map((i) => {
      const p = shown.get(itemKey(i));
      return p && !p.suppressed && p.stats ? { ...p, stats: publishStats(p.stats, d) } : { ...i, suppressed: true, stats: null };
    });
    const votes = new Map(gradeVotes(records, meta, view).map((g) => [`${g.raterGroupId}:${g.question}`, g]));
    result.grades = gradeVotes(own, meta, view).map((g) => {
      const p = votes.get(`${g.raterGroupId}:${g.question}`);
      return p && !p.suppressed && p.votes ? { ...p, votes: p.votes.map((v) => ({ ...v, share: publishShare(v.share, d) })) } : { ...g, suppressed: true, votes: null };
    });
  }
  const cells = d.exact ? undefined : respondedCells(records, meta);
  result.comments = await comments({ schoolIds: partIds, subjectId, cells }, commentsAllowed(subject.suppressed ? 0 : (subject.respondents ?? 0), d));
  return result;
}

/**
 * Every rated subject's figure in a round over the parts the caller reads, pooled as on the
 * subject page (each rater group over all the subject's parts, the weights applied once), read in
 * one pass for the annual assessment. Below the office (`audience`), from published cells only,
 * with `withheld` where any cell behind the figure is held back.
 */
export async function subjectFigures(db: Db, scope: Scope, roundId: string, audience: Audience = 'caller', source: CountSource = 'counts') {
  const loaded = await getRound(db, scope, roundId);
  const { round } = loaded;
  const d = disclosureFor(scope, round, audience);
  const meta = await roundMeta(db, round, loaded);
  const view: View = { suppressBelow: d.exact ? null : d.threshold };
  const parts = await roundParts(db, round, loaded, false);
  const published: CountRecord[] = [];
  const withheld = new Set<string>();
  if (d.exact) {
    published.push(...(await roundSubjectCounts(db, roundId, source)).filter((r) => parts.has(r.schoolId)));
  } else {
    for (const id of parts.keys()) {
      const family = await schoolFamily(db, roundId, id, meta, d, source);
      published.push(...family.published);
      for (const [key, rows] of groupBy(family.raw, bySubjectUnit)) if (anyWithheld(rows, meta, family.hidden, bySubjectUnit)) withheld.add(key);
    }
  }
  const subjects = new Map<string, Summary & { parts: Map<string, number> }>();
  const figure = (key: string, type: 'staff' | 'unit', rows: CountRecord[]) => ({
    ...publishSummary({ ...strip(summarize({ key, type, name: '' }, rows, meta, view)), withheld: !d.exact && withheld.has(key) }, d),
    /** valid respondents per part behind the figure */
    parts: new Map([...groupBy(rows, (r) => r.schoolId)].map(([part, list]) => [part, respondentsOf(list)])),
  });
  for (const [key, rows] of groupBy(published, bySubjectUnit)) subjects.set(key, figure(key, rows[0]!.subjectType === 'staff' ? 'staff' : 'unit', rows));
  // a subject whose every cell is hidden is there, suppressed
  for (const key of withheld) if (!subjects.has(key)) subjects.set(key, figure(key, 'staff', []));
  return { title: round.title, subjects };
}

/**
 * The parts of a round a caller reads, id → name: the round's schools in their scope and, for
 * those who see the whole round (the office, the district's supervisors), the district part: the
 * answers admitted by links issued to no school of the round (outside representatives, the
 * supervision post, office staff), which count for the district and every subject on their ballot
 * but for no school. `whole` gives every part (a staff member reading their own figure).
 */
async function roundParts(db: Db, round: Round, loaded: Awaited<ReturnType<typeof getRound>>, whole: boolean): Promise<Map<string, string>> {
  const schools = whole
    ? await db.select({ id: units.id, name: units.name }).from(units).innerJoin(roundUnits, eq(roundUnits.unitId, units.id)).where(eq(roundUnits.roundId, round.id))
    : loaded.schools.map((s) => ({ id: s.id, name: s.name }));
  const out = new Map(schools.map((s) => [s.id, s.name]));
  if (whole || loaded.scopeIds.includes(round.unitId)) {
    const [district] = await db.select({ name: units.name }).from(units).where(eq(units.id, round.unitId));
    out.set(round.unitId, district?.name ?? '');
  }
  return out;
}

const respondentsOf = (rows: readonly CountRecord[]) => rows.reduce((n, r) => n + (r.question === '' && r.value === 'valid' ? r.n : 0), 0);

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

/**
 * Names of rated subjects, and whether each is a school's teacher: only they are ranked on a
 * school's page (office staff rated by a school's colleagues are listed, never ranked).
 */
async function subjectInfo(db: Db, ids: string[]): Promise<Map<string, { name: string; teacher: boolean }>> {
  if (!ids.length) return new Map();
  const people = await db.select({ id: staff.id, name: staff.name, kind: units.kind }).from(staff).innerJoin(units, eq(units.id, staff.unitId)).where(inArray(staff.id, ids));
  const places = await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ids));
  return new Map([...people.map((p) => [p.id, { name: p.name, teacher: p.kind === 'school' }] as const), ...places.map((p) => [p.id, { name: p.name, teacher: false }] as const)]);
}
