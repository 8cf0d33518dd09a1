/**
 * The campaign report (总结): participation per school and rater group in the campaign's rounds,
 * satisfaction before and after (the baseline and follow-up rounds paired per school and per item,
 * with the change and its 95% interval, see compare.ts), ledger items by status and the on-time
 * rate, complaints by category and handling time, commitments and accountability measures.
 *
 * Who sees what: the office every school of the campaign in its scope; a school admin their own
 * school only (its figures through the results module's gate: rounds released to schools, cells
 * below the anonymity threshold suppressed) and no accountability measures (those are the office's
 * and the person's); anyone else is refused. Satisfaction figures are suppressed below the round's
 * threshold for the office too: the report is printed and handed round.
 */
import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { workingDaysBetween } from '@/lib/assessment/calendar';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { calendarFor } from '@/lib/calendar/calendar';
import type { Db } from '@/lib/db/client';
import {
  accountabilityRecords,
  accountabilityTypes,
  campaignComparisons,
  campaignRounds,
  commitments,
  COMMITMENT_STATUSES,
  COMPLAINT_CATEGORIES,
  complaintEvents,
  complaints,
  LEDGER_STATUSES,
  ledgerItems,
  linkTotals,
  raterGroups,
  roundForms,
  rounds,
  schoolCounts,
  selfReports,
  staff,
  units,
} from '@/lib/db/schema';
import { DomainError, ForbiddenError } from '@/lib/errors';
import { getRound, responseRates } from '@/lib/rounds/queries';
import { disclosureFor, hiddenCells, NOTHING_HIDDEN, publishedRecords } from '@/lib/scoring/disclosure';
import { roundMeta, schoolCounts as readSchoolCounts } from '@/lib/scoring/queries';
import { itemResults, summarize } from '@/lib/scoring/results';
import { median } from '@/lib/scoring/stats';
import { loadCampaign, shanghaiDay } from './campaigns';
import { direction, meanChange, shareChange, type Change } from './compare';

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/** The schools of the campaign the caller reads: the office every one beneath the campaign's unit in its scope, a school admin theirs. */
async function reportSchools(db: Db, scope: Scope, campaignUnitId: string) {
  if (scope.role !== 'office' && scope.role !== 'school_admin') throw new ForbiddenError('role_not_allowed');
  const beneath = await unitIdsInScope(db, { role: 'office', unitId: campaignUnitId });
  const mine = new Set(await unitIdsInScope(db, scope));
  const ids = beneath.filter((id) => mine.has(id));
  if (!ids.length) return [];
  return db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(inArray(units.id, ids), eq(units.kind, 'school')))
    .orderBy(asc(units.sortOrder), asc(units.name));
}

/** 回收率 per school (lib/rounds responseRates) and per rater group with the same counting: places from the link totals; received valid + void. */
async function participation(db: Db, roundIds: string[], schools: { id: string; name: string }[]) {
  const schoolIds = schools.map((s) => s.id);
  if (!roundIds.length || !schoolIds.length) return [];
  const titles = await db.select({ id: rounds.id, title: rounds.title, opensAt: rounds.opensAt }).from(rounds).where(inArray(rounds.id, roundIds)).orderBy(asc(rounds.opensAt));
  const perSchool = await responseRates(db, roundIds, schoolIds);
  const expected = await db
    .select({
      roundId: linkTotals.roundId,
      schoolId: linkTotals.schoolId,
      groupId: roundForms.raterGroupId,
      n: sql<number>`sum(${linkTotals.places})::int`,
    })
    .from(linkTotals)
    .innerJoin(roundForms, eq(roundForms.id, linkTotals.formId))
    .where(and(inArray(linkTotals.roundId, roundIds), inArray(linkTotals.schoolId, schoolIds)))
    .groupBy(linkTotals.roundId, linkTotals.schoolId, roundForms.raterGroupId)
    .having(sql`sum(${linkTotals.links}) > 0`);
  const received = await db
    .select({ roundId: schoolCounts.roundId, schoolId: schoolCounts.schoolId, groupId: roundForms.raterGroupId, n: sql<number>`sum(${schoolCounts.n})::int` })
    .from(schoolCounts)
    .innerJoin(roundForms, eq(roundForms.id, schoolCounts.formId))
    .where(and(inArray(schoolCounts.roundId, roundIds), inArray(schoolCounts.schoolId, schoolIds), eq(schoolCounts.question, ''), inArray(schoolCounts.value, ['valid', 'void'])))
    .groupBy(schoolCounts.roundId, schoolCounts.schoolId, roundForms.raterGroupId);
  const groups = await db.select().from(raterGroups).where(inArray(raterGroups.roundId, roundIds)).orderBy(asc(raterGroups.name));
  // a self-inspection (本人自评) is written from each staff member's account, with no link: every
  // active staff member of the school owes one (as the round's completion counts them, lib/workspace/reports.ts)
  const selfGroups = new Set(
    (
      await db
        .selectDistinct({ groupId: roundForms.raterGroupId })
        .from(roundForms)
        .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
        .where(and(inArray(roundForms.roundId, roundIds), eq(raterGroups.kind, 'self'), eq(roundForms.subjectMode, 'self')))
    ).map((g) => g.groupId),
  );
  const staffCount = new Map(
    (selfGroups.size
      ? await db
          .select({ schoolId: staff.unitId, n: sql<number>`count(*)::int` })
          .from(staff)
          .where(and(inArray(staff.unitId, schoolIds), eq(staff.active, true)))
          .groupBy(staff.unitId)
      : []
    ).map((r) => [r.schoolId, Number(r.n)]),
  );
  // and it counts once accepted for review (submitted or reviewed): a returned or draft report is still owed
  const selfAnswered = selfGroups.size
    ? await db
        .select({ roundId: selfReports.roundId, schoolId: staff.unitId, groupId: roundForms.raterGroupId, n: sql<number>`count(*)::int` })
        .from(selfReports)
        .innerJoin(staff, eq(staff.id, selfReports.staffId))
        .innerJoin(roundForms, eq(roundForms.id, selfReports.formId))
        .where(and(inArray(selfReports.roundId, roundIds), inArray(staff.unitId, schoolIds), eq(staff.active, true), inArray(selfReports.status, ['submitted', 'reviewed'])))
        .groupBy(selfReports.roundId, staff.unitId, roundForms.raterGroupId)
    : [];
  const receivedIn = (roundId: string, schoolId: string, groupId: string) =>
    Number(
      (selfGroups.has(groupId) ? selfAnswered : received).find((x) => x.roundId === roundId && x.schoolId === schoolId && x.groupId === groupId)?.n ?? 0,
    );
  const expectedIn = (roundId: string, schoolId: string, groupId: string) =>
    selfGroups.has(groupId) ? (staffCount.get(schoolId) ?? 0) : Number(expected.find((x) => x.roundId === roundId && x.schoolId === schoolId && x.groupId === groupId)?.n ?? 0);
  return titles.map((r) => {
    const rows = schools
      .map((s) => {
        const total = perSchool.find((x) => x.roundId === r.id && x.schoolId === s.id);
        const roundGroups = groups.filter((g) => g.roundId === r.id);
        // the links' places, plus the staff who owe a self-inspection (they have no link), counted as above
        const selfOf = roundGroups.filter((g) => selfGroups.has(g.id));
        const schoolExpected = (total?.expected ?? 0) + selfOf.reduce((n, g) => n + expectedIn(r.id, s.id, g.id), 0);
        const schoolResponses =
          (total?.responses ?? 0) +
          selfOf.reduce((n, g) => n + receivedIn(r.id, s.id, g.id) - Number(received.find((x) => x.roundId === r.id && x.schoolId === s.id && x.groupId === g.id)?.n ?? 0), 0);
        return {
          schoolId: s.id,
          schoolName: s.name,
          responses: schoolResponses,
          expected: schoolExpected,
          rate: rate(schoolResponses, schoolExpected),
          groups: roundGroups.map((g) => {
            const got = receivedIn(r.id, s.id, g.id);
            const exp = expectedIn(r.id, s.id, g.id);
            return { raterGroupId: g.id, name: g.name, responses: got, expected: exp, rate: rate(got, exp) };
          }),
        };
      })
      .filter((s) => s.expected > 0 || s.responses > 0);
    const responses = rows.reduce((n, s) => n + s.responses, 0);
    const exp = rows.reduce((n, s) => n + s.expected, 0);
    return { roundId: r.id, title: r.title, responses, expected: exp, rate: rate(responses, exp), schools: rows };
  });
}

interface Figure {
  /** respondents (schools) or valid answers (items); null when suppressed */
  n: number | null;
  suppressed: boolean;
  satisfaction: number | null;
  score: number | null;
}

interface Side {
  figure: Figure;
  variance: number | null;
}

const SUPPRESSED: Side = { figure: { n: null, suppressed: true, satisfaction: null, score: null }, variance: null };

/** One round's figures per school and per item, through the results module's gate and suppression. */
async function roundSides(db: Db, scope: Scope, roundId: string, schoolIds: Set<string>) {
  const loaded = await getRound(db, scope, roundId);
  const { round } = loaded;
  // the office sees the report as anyone below it would (small cells suppressed); others by their own rules (release)
  const d = disclosureFor(scope, round, scope.role === 'office' ? 'below_office' : 'caller');
  const meta = await roundMeta(db, round, loaded);
  const view = { suppressBelow: d.exact ? null : d.threshold };
  const bySchool = (r: { schoolId: string }) => r.schoolId;
  const raw = (await readSchoolCounts(db, roundId)).filter((r) => schoolIds.has(r.schoolId));
  const hidden = d.exact ? NOTHING_HIDDEN : hiddenCells(raw, meta, d.threshold, bySchool, false);
  const published = publishedRecords(raw, meta, hidden, bySchool);
  const schools = new Map<string, Side>();
  for (const s of loaded.schools) {
    if (!schoolIds.has(s.id)) continue;
    const sum = summarize({ key: s.id, type: 'school', name: s.name }, published.filter((r) => r.schoolId === s.id), meta, view);
    if (!raw.some((r) => r.schoolId === s.id && r.question === '' && r.value === 'valid' && r.n > 0)) continue;
    schools.set(s.id, sum.suppressed ? SUPPRESSED : { figure: { n: sum.respondents, suppressed: false, satisfaction: sum.satisfaction, score: sum.score }, variance: sum.variance });
  }
  const groupName = new Map(meta.groups.map((g) => [g.id, g.name]));
  const items = new Map<string, Side & { title: string; group: string; question: string; row: string }>();
  for (const i of itemResults(published, meta, view)) {
    const key = `${groupName.get(i.raterGroupId)}\u0000${i.question}\u0000${i.row}`;
    const s = i.stats;
    const side: Side =
      i.suppressed || !s
        ? SUPPRESSED
        : { figure: { n: s.valid, suppressed: false, satisfaction: s.satisfaction, score: s.mean }, variance: s.sd === null ? null : s.sd * s.sd };
    items.set(key, { ...side, title: i.title, group: groupName.get(i.raterGroupId) ?? '', question: i.question, row: i.row });
  }
  return { round: { id: round.id, title: round.title, threshold: round.anonymityThreshold }, schools, items };
}

function pair(before: Side | undefined, after: Side | undefined) {
  const b = before ?? null;
  const a = after ?? null;
  let satisfaction: Change | null = null;
  let score: Change | null = null;
  if (b && a && !b.figure.suppressed && !a.figure.suppressed) {
    if (b.figure.satisfaction !== null && a.figure.satisfaction !== null)
      satisfaction = shareChange({ p: b.figure.satisfaction, n: b.figure.n! }, { p: a.figure.satisfaction, n: a.figure.n! });
    if (b.figure.score !== null && a.figure.score !== null && b.variance !== null && a.variance !== null)
      score = meanChange({ mean: b.figure.score, variance: b.variance, n: b.figure.n! }, { mean: a.figure.score, variance: a.variance, n: a.figure.n! });
  }
  // the headline is 满意率; where a scale has none, the score
  return { before: b?.figure ?? null, after: a?.figure ?? null, satisfaction, score, direction: direction(satisfaction ?? score) };
}

async function comparison(db: Db, scope: Scope, campaignId: string, schools: { id: string; name: string }[]) {
  const [c] = await db.select().from(campaignComparisons).where(eq(campaignComparisons.campaignId, campaignId));
  if (!c) return null;
  const ids = new Set(schools.map((s) => s.id));
  let before, after;
  try {
    before = await roundSides(db, scope, c.baselineRoundId, ids);
    after = await roundSides(db, scope, c.followUpRoundId, ids);
  } catch (e) {
    // a round not released to the caller (or out of their sight) leaves the comparison out, saying why
    if (e instanceof DomainError && (e.code === 'forbidden' || e.code === 'not_found')) {
      return { baseline: null, followUp: null, withheld: String(e.params.reason ?? e.code), threshold: null, schools: [], items: [], improved: [], declined: [] };
    }
    throw e;
  }
  const schoolRows = schools
    .filter((s) => before.schools.has(s.id) || after.schools.has(s.id))
    .map((s) => ({ schoolId: s.id, schoolName: s.name, ...pair(before.schools.get(s.id), after.schools.get(s.id)) }));
  const keys = [...new Set([...before.items.keys(), ...after.items.keys()])];
  const itemRows = keys.map((k) => {
    const meta = after.items.get(k) ?? before.items.get(k)!;
    return { group: meta.group, question: meta.question, row: meta.row, title: meta.title, ...pair(before.items.get(k), after.items.get(k)) };
  });
  return {
    baseline: before.round,
    followUp: after.round,
    withheld: null,
    threshold: Math.max(before.round.threshold, after.round.threshold),
    schools: schoolRows,
    items: itemRows,
    improved: schoolRows.filter((s) => s.direction === 'improved').map((s) => s.schoolName),
    declined: schoolRows.filter((s) => s.direction === 'declined').map((s) => s.schoolName),
  };
}

/** The campaign's dates as instants (Asia/Shanghai days, the end day included). */
function window(c: { startsOn: string; endsOn: string }) {
  return { from: new Date(`${c.startsOn}T00:00:00+08:00`), to: new Date(Date.parse(`${c.endsOn}T00:00:00+08:00`) + 86_400_000) };
}

async function ledgerFigures(db: Db, campaignId: string, unitIds: string[], now: Date) {
  const rows = unitIds.length
    ? await db
        .select({ status: ledgerItems.status, dueOn: ledgerItems.dueOn, doneAt: ledgerItems.doneAt, verifiedAt: ledgerItems.verifiedAt })
        .from(ledgerItems)
        .where(and(eq(ledgerItems.campaignId, campaignId), inArray(ledgerItems.unitId, unitIds)))
    : [];
  const today = shanghaiDay(now);
  const byStatus = Object.fromEntries(LEDGER_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length]));
  // due: the deadline has passed (or is today); on time: done or verified, done by the end of the deadline day
  const due = rows.filter((r) => r.dueOn <= today);
  const onTime = due.filter((r) => {
    if (r.status !== 'done' && r.status !== 'verified') return false;
    const at = r.doneAt ?? r.verifiedAt;
    return at !== null && shanghaiDay(at) <= r.dueOn;
  }).length;
  return { total: rows.length, byStatus, due: due.length, onTime, onTimeRate: rate(onTime, due.length) };
}

async function complaintFigures(db: Db, campaign: { unitId: string; startsOn: string; endsOn: string }, unitIds: string[]) {
  const { from, to } = window(campaign);
  const rows = unitIds.length
    ? await db
        .select({ id: complaints.id, category: complaints.category, status: complaints.status, createdAt: complaints.createdAt })
        .from(complaints)
        .where(and(inArray(complaints.unitId, unitIds), gte(complaints.createdAt, from), sql`${complaints.createdAt} < ${to.toISOString()}::timestamptz`))
    : [];
  const closed = rows.filter((r) => r.status === 'closed');
  const closings = closed.length
    ? await db
        .select({ id: complaintEvents.complaintId, at: sql<string>`max(${complaintEvents.at})` })
        .from(complaintEvents)
        .where(and(inArray(complaintEvents.complaintId, closed.map((r) => r.id)), eq(complaintEvents.status, 'closed')))
        .groupBy(complaintEvents.complaintId)
    : [];
  // the calendar of the campaign's unit and those above it (the nearest one's entry wins)
  const calendar = await calendarFor(db, campaign.unitId, from);
  const handling = closed
    .map((r) => {
      const at = closings.find((x) => x.id === r.id)?.at;
      return at ? workingDaysBetween(r.createdAt, new Date(at), calendar) : null;
    })
    .filter((x): x is number => x !== null);
  return {
    total: rows.length,
    byCategory: Object.fromEntries(COMPLAINT_CATEGORIES.map((c) => [c, rows.filter((r) => r.category === c).length])),
    closed: closed.length,
    medianWorkingDays: median(handling),
  };
}

async function commitmentFigures(db: Db, campaignId: string, unitIds: string[]) {
  const rows = unitIds.length
    ? await db.select({ status: commitments.status }).from(commitments).where(and(eq(commitments.campaignId, campaignId), inArray(commitments.unitId, unitIds)))
    : [];
  const byStatus = Object.fromEntries(COMMITMENT_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length]));
  return { total: rows.length, byStatus, fulfilled: byStatus.fulfilled ?? 0 };
}

/** Measures recorded for the campaign, or decided within its dates against people of its units; withdrawn ones do not count. */
async function accountabilityFigures(db: Db, campaign: { id: string; startsOn: string; endsOn: string }, unitIds: string[]) {
  if (!unitIds.length) return { total: 0, byType: [] };
  const rows = await db
    .select({ typeId: accountabilityTypes.id, name: accountabilityTypes.name, sortOrder: accountabilityTypes.sortOrder, n: sql<number>`count(*)::int` })
    .from(accountabilityRecords)
    .innerJoin(accountabilityTypes, eq(accountabilityTypes.id, accountabilityRecords.typeId))
    .where(
      and(
        isNull(accountabilityRecords.revokedAt),
        inArray(accountabilityRecords.unitId, unitIds),
        or(
          eq(accountabilityRecords.campaignId, campaign.id),
          and(isNull(accountabilityRecords.campaignId), gte(accountabilityRecords.decidedOn, campaign.startsOn), lte(accountabilityRecords.decidedOn, campaign.endsOn)),
        ),
      ),
    )
    .groupBy(accountabilityTypes.id, accountabilityTypes.name, accountabilityTypes.sortOrder)
    .orderBy(asc(accountabilityTypes.sortOrder), asc(accountabilityTypes.name));
  const byType = rows.map((r) => ({ typeId: r.typeId, name: r.name, count: Number(r.n) }));
  return { total: byType.reduce((n, r) => n + r.count, 0), byType };
}

export type CampaignReport = Awaited<ReturnType<typeof campaignReport>>;

export async function campaignReport(db: Db, scope: Scope, campaignId: string, now = new Date()) {
  const { c, unitName } = await loadCampaign(db, scope, campaignId);
  const schools = await reportSchools(db, scope, c.unitId);
  const office = scope.role === 'office';
  // the office also counts what belongs to the campaign's own unit (its office staff, its ledger)
  const unitIds = [...schools.map((s) => s.id), ...(office ? [c.unitId] : [])];
  const [cmp] = await db.select().from(campaignComparisons).where(eq(campaignComparisons.campaignId, campaignId));
  const linked = (await db.select({ id: campaignRounds.roundId }).from(campaignRounds).where(eq(campaignRounds.campaignId, campaignId))).map((r) => r.id);
  const roundIds = [...new Set([...linked, ...(cmp ? [cmp.baselineRoundId, cmp.followUpRoundId] : [])])];
  return {
    campaign: { id: c.id, title: c.title, unitName, startsOn: c.startsOn, endsOn: c.endsOn },
    generatedAt: now.toISOString(),
    viewer: office ? ('office' as const) : ('school' as const),
    schools: schools.map((s) => ({ id: s.id, name: s.name })),
    participation: await participation(db, roundIds, schools),
    comparison: await comparison(db, scope, campaignId, schools),
    ledger: await ledgerFigures(db, campaignId, unitIds, now),
    complaints: await complaintFigures(db, c, unitIds),
    commitments: await commitmentFigures(db, campaignId, unitIds),
    accountability: office ? await accountabilityFigures(db, c, unitIds) : null,
  };
}
