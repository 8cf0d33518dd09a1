/**
 * Component values of each staff member: their score or satisfaction in the rounds a component
 * points at (from the scoring engine, read with the office's scope), their school's, or the mean
 * of their manual entries (平时考核). Several rounds give the mean of those with data; n is the
 * respondents (or entries) behind the value.
 *
 * Each round figure is also read as anyone below the office would be shown it (the disclosure
 * gate): a value is `disclosable` only if that figure was published whole, so school admins and
 * staff never read an assessment figure the results pages would hold back (see discloseAssessment).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { regularAssessments, units, type AssessmentComponent, type ComponentValue } from '@/lib/db/schema';
import { getRoundResults, subjectFigures } from '@/lib/scoring/queries';
import type { Summary } from '@/lib/scoring/schemas';
import { round } from '@/lib/scoring/stats';

interface Figure {
  score: number | null;
  satisfaction: number | null;
  respondents: number;
  /** published whole below the office: not suppressed and nothing in it held back */
  disclosable: boolean;
  /** respondents per part of the round (school, or the district part) */
  parts?: ReadonlyMap<string, number>;
}

interface RoundFigures {
  title: string;
  staff: Map<string, Figure>;
  schools: Map<string, Figure>;
  /** units rated as ballot subjects (a school, its 领导班子, the 学区办公室), pooled over the parts */
  units: Map<string, Figure>;
}

/**
 * One round's per-staff, per-school and per-unit figures. A person's (or unit's) figure is their
 * pooled figure over every part of the round (each school that rated them and the district part,
 * each rater group over all of them, the weights applied once), never one school's part.
 */
async function roundFigures(db: Db, scope: Scope, roundId: string): Promise<RoundFigures> {
  const whole = (s: Summary | undefined) => Boolean(s && !s.suppressed && !s.withheld);
  const figure = (s: Summary, shown: Summary | undefined): Figure => ({ score: s.score, satisfaction: s.satisfaction, respondents: s.respondents ?? 0, disclosable: whole(shown) });
  const [district, publicDistrict] = await Promise.all([
    getRoundResults(db, scope, roundId, { level: 'district' }),
    getRoundResults(db, scope, roundId, { level: 'district' }, { audience: 'below_office' }),
  ]);
  const out: RoundFigures = { title: district.round.title, staff: new Map(), schools: new Map(), units: new Map() };
  for (const s of district.schools) out.schools.set(s.key, figure(s, publicDistrict.schools.find((x) => x.key === s.key)));
  const [subjects, shown] = await Promise.all([subjectFigures(db, scope, roundId), subjectFigures(db, scope, roundId, 'below_office')]);
  for (const [key, s] of subjects.subjects) (s.type === 'staff' ? out.staff : out.units).set(key, { ...figure(s, shown.subjects.get(key)), parts: s.parts });
  return out;
}

async function loadRounds(db: Db, scope: Scope, components: readonly AssessmentComponent[]) {
  const rounds = new Map<string, RoundFigures>();
  for (const id of new Set(components.flatMap((c) => (c.source === 'entries' ? [] : c.roundIds)))) rounds.set(id, await roundFigures(db, scope, id));
  return rounds;
}

type Base = Pick<ComponentValue, 'key' | 'name' | 'kind' | 'weight'>;
const baseOf = (c: AssessmentComponent): Base => ({ key: c.key, name: c.name, kind: c.kind, weight: c.weight });

/** The mean of a subject's manual entries for a component. */
function entriesValue(c: AssessmentComponent, xs: readonly number[]): ComponentValue {
  return { ...baseOf(c), value: meanOf([...xs]), satisfaction: null, source: `entries:${c.name}`, n: xs.length };
}

/**
 * A component read from rounds: `pick` finds the subject's figure in each round; the value is the
 * mean over the rounds with data. `home` says whether a figure comes mostly from the reader's school.
 */
function roundValue(c: AssessmentComponent, rounds: ReadonlyMap<string, RoundFigures>, pick: (r: RoundFigures) => Figure | undefined, home: (f: Figure) => boolean): ComponentValue {
  const figures = c.roundIds
    .map((id) => rounds.get(id)!)
    .map((r) => ({ title: r.title, f: pick(r) ?? null }))
    .filter((x): x is { title: string; f: Figure } => x.f !== null && (c.source.endsWith('satisfaction') ? x.f.satisfaction !== null : x.f.score !== null));
  const sat = meanOf(figures.map((x) => x.f.satisfaction).filter((s): s is number => s !== null));
  const value = c.source.endsWith('satisfaction') ? (sat === null ? null : round(sat * 100)) : meanOf(figures.map((x) => x.f.score!));
  return {
    ...baseOf(c),
    value,
    satisfaction: sat,
    source: `${c.source}:${figures.map((x) => x.title).join('、') || c.roundIds.length}`,
    n: figures.reduce((s, x) => s + x.f.respondents, 0),
    disclosable: figures.every((x) => x.f.disclosable),
    // below the office, a person's pooled figure is read where most of it comes from their own
    // school; a school admin reads the figure of someone rated mostly elsewhere only once the
    // office releases the round's pooled figures (discloseAssessment)
    elsewhere: figures.some((x) => !home(x.f)),
  };
}

/**
 * Whether at least half the respondents behind a person's figure are from their own school's part
 * (staff of an office or district are read by no school admin: always).
 */
function mostlyHome(f: Figure, unitId: string, schools: ReadonlySet<string>): boolean {
  if (!f.parts || !schools.has(unitId)) return true;
  const total = [...f.parts.values()].reduce((s, n) => s + n, 0);
  return (f.parts.get(unitId) ?? 0) * 2 >= total;
}

const meanOf = (xs: number[]) => (xs.length ? round(xs.reduce((s, x) => s + x, 0) / xs.length) : null);

export interface StaffRef {
  id: string;
  unitId: string;
}

export interface EntryFacts {
  /** staffId (or graded unit id) → component id → scores */
  scores: Map<string, Map<string, number[]>>;
  /** staffId (or graded unit id) → sanctions recorded this year */
  sanctions: Map<string, string[]>;
}

export async function entryFacts(db: Db, yearId: string): Promise<EntryFacts> {
  const rows = await db.select().from(regularAssessments).where(eq(regularAssessments.yearId, yearId));
  const scores = new Map<string, Map<string, number[]>>();
  const sanctions = new Map<string, string[]>();
  for (const r of rows) {
    const who = (r.staffId ?? r.subjectUnitId)!;
    if (r.score !== null) {
      const byComponent = scores.get(who) ?? new Map<string, number[]>();
      byComponent.set(r.componentId, [...(byComponent.get(r.componentId) ?? []), r.score]);
      scores.set(who, byComponent);
    }
    if (r.sanction) sanctions.set(who, [...new Set([...(sanctions.get(who) ?? []), r.sanction])]);
  }
  return { scores, sanctions };
}

/** staffId → the value of every component, in the year's order. */
export async function componentValues(
  db: Db,
  scope: Scope,
  components: readonly AssessmentComponent[],
  people: readonly StaffRef[],
  facts: EntryFacts,
): Promise<Map<string, ComponentValue[]>> {
  const unitIds = [...new Set(people.map((p) => p.unitId))];
  const schoolUnits = new Set(
    unitIds.length ? (await db.select({ id: units.id }).from(units).where(and(inArray(units.id, unitIds), eq(units.kind, 'school')))).map((u) => u.id) : [],
  );
  const rounds = await loadRounds(db, scope, components);
  const out = new Map<string, ComponentValue[]>();
  for (const p of people) {
    out.set(
      p.id,
      components.map((c) =>
        c.source === 'entries'
          ? entriesValue(c, facts.scores.get(p.id)?.get(c.id) ?? [])
          : roundValue(c, rounds, (r) => (c.source.startsWith('school') ? r.schools.get(p.unitId) : r.staff.get(p.id)), (f) => mostlyHome(f, p.unitId, schoolUnits)),
      ),
    );
  }
  return out;
}

/** A unit graded in a year (学校目标责任制考核): a school, and its 领导班子 when it has one. */
export interface GradedUnit {
  id: string;
  teamId: string | null;
}

/**
 * unitId → the value of every unit component: the school's satisfaction or score in the rounds
 * (its part of the district results), its own appraisal as a ballot subject, its 领导班子's
 * appraisal, and manual entries. Ledger (整改台帐) and complaint (效能投诉) figures do not exist
 * yet: a source for them reads the campaign tables here, beside `entries`, when they are built.
 */
export async function unitComponentValues(
  db: Db,
  scope: Scope,
  components: readonly AssessmentComponent[],
  graded: readonly GradedUnit[],
  facts: EntryFacts,
): Promise<Map<string, ComponentValue[]>> {
  const rounds = await loadRounds(db, scope, components);
  const out = new Map<string, ComponentValue[]>();
  for (const u of graded) {
    const pick = (c: AssessmentComponent) => (r: RoundFigures) => {
      if (c.source === 'unit_score') return r.units.get(u.id);
      if (c.source === 'team_score') return u.teamId ? r.units.get(u.teamId) : undefined;
      return r.schools.get(u.id);
    };
    // as for a person: the school's admin reads a figure pooled mostly from other parts of the round
    // (other schools' staff, outside representatives) only once the office releases it
    const home = (f: Figure) => mostlyHome(f, u.id, new Set([u.id]));
    out.set(u.id, components.map((c) => (c.source === 'entries' ? entriesValue(c, facts.scores.get(u.id)?.get(c.id) ?? []) : roundValue(c, rounds, pick(c), home))));
  }
  return out;
}
