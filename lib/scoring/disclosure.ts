/**
 * The disclosure gate. Every results figure, distribution, 等次 share, comment list and assessment
 * figure that reaches someone below the office (school admins, supervisors, staff) passes through
 * here: the results API and pages, the xlsx results export, trends and charts read through
 * getRoundResults, which applies it; the assessment list and its exports through
 * discloseAssessments. The office gets the exact figures (with the small cells marked).
 *
 * Below the office:
 * - Release: school admins and supervisors once the round is released to schools, staff once it
 *   is released to staff.
 * - A cell is one rater group's answers about one unit (a rated subject within a school, or a
 *   school), and each scored item within it. A group cell with fewer respondents than the round's
 *   threshold is hidden; so is an item cell with fewer valid answers (an optional question).
 * - A figure is computed from published cells only: a hidden cell adds nothing to the subject,
 *   school or district figure it belongs to, so no filter (rater group, dimension) isolates it.
 * - Complementary suppression: a school's figure is also the total of its subjects' cells, so
 *   within a school the cells of one rater group (and of one item) form a family. When any is
 *   hidden, the next smallest are hidden too until the hidden cells are at least two and hold at
 *   least the threshold between them: the school's figure minus every visible one gives only a
 *   pooled figure about two or more people, never one of them.
 * - Hidden cells carry no counts; published scores are rounded to one decimal, shares (满意率,
 *   等次 shares) to one decimal of a percent.
 * - Comments: listed only for a subject whose published respondents reach the comment threshold,
 *   only from its published rater groups and only from schools in the caller's scope; a school's
 *   list is made of those subjects' comments, never released on the school's total.
 */
import type { Scope } from '@/lib/auth/scope';
import type { AssessmentComponent, ComponentValue, Round } from '@/lib/db/schema';
import { ForbiddenError } from '@/lib/errors';
import type { QuestionStats } from './distribution';
import { isFigureItem, type CountRecord, type RoundMeta } from './results';
import type { RoundResults, Summary } from './schemas';

/** Whose rules a computation follows: the caller's own, or those of anyone below the office. */
export type Audience = 'caller' | 'below_office';

export interface Disclosure {
  /** the office: exact figures, small cells marked but shown */
  exact: boolean;
  threshold: number;
  commentThreshold: number;
}

/** Results are the office's from the start; schools (and supervisors) see them once released to schools, staff once released to staff. */
export function isReleasedTo(round: Pick<Round, 'releasedToSchoolsAt' | 'releasedToStaffAt'>, role: Scope['role']): boolean {
  if (role === 'office') return true;
  return Boolean(role === 'staff' ? round.releasedToStaffAt : round.releasedToSchoolsAt);
}

/** The rules for this caller and round; refuses (403 not_released) before release. */
export function disclosureFor(scope: Scope, round: Round, audience: Audience = 'caller'): Disclosure {
  if (audience === 'caller' && !isReleasedTo(round, scope.role)) throw new ForbiddenError('not_released');
  return {
    exact: audience === 'caller' && scope.role === 'office',
    threshold: round.anonymityThreshold,
    commentThreshold: round.commentThreshold,
  };
}

// ---------------------------------------------------------------------------------------------
// Cells

export interface Hidden {
  /** unit · rater group */
  groups: Set<string>;
  /** unit · rater group · question · row */
  items: Set<string>;
}

export const NOTHING_HIDDEN: Hidden = { groups: new Set(), items: new Set() };

const SEP = '\u0000';
const groupKey = (unit: string, group: string) => `${unit}${SEP}${group}`;

type UnitOf = (r: CountRecord) => string;

/**
 * Complementary suppression within one family of cells (unit → size). Cells below the threshold,
 * and those already hidden, are hidden; then, if any is, the smallest others join them until at
 * least two are hidden holding at least the threshold together (or all are).
 */
export function suppressFamily(cells: ReadonlyMap<string, number>, threshold: number, already: ReadonlySet<string> = new Set()): Set<string> {
  const present = [...cells].filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const hidden = new Set(present.filter(([u, n]) => n < threshold || already.has(u)).map(([u]) => u));
  if (!hidden.size) return hidden;
  const held = () => present.reduce((s, [u, n]) => s + (hidden.has(u) ? n : 0), 0);
  for (const [u] of present) {
    if (hidden.size >= 2 && held() >= threshold) break;
    hidden.add(u);
  }
  return hidden;
}

/** Respondents per (group, unit) and valid answers per (group · item, unit). */
function cellSizes(records: readonly CountRecord[], meta: RoundMeta, unitOf: UnitOf) {
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  const groups = new Map<string, Map<string, number>>();
  const items = new Map<string, Map<string, number>>();
  const add = (map: Map<string, Map<string, number>>, family: string, unit: string, n: number) => {
    const cells = map.get(family) ?? new Map<string, number>();
    cells.set(unit, (cells.get(unit) ?? 0) + n);
    map.set(family, cells);
  };
  for (const r of records) {
    const group = formGroup.get(r.formId);
    if (!group) continue;
    if (r.question === '') {
      if (r.value === 'valid') add(groups, group, unitOf(r), r.n);
    } else if (!r.excluded && isFigureItem(meta, r.formId, r.question)) {
      add(items, [group, r.question, r.row].join(SEP), unitOf(r), r.n);
    }
  }
  return { groups, items };
}

/**
 * The cells hidden among these records, one unit per `unitOf`: below the threshold only
 * (`complementary: false`, for units whose total is not published beside them), or with
 * complementary suppression within each family (the subjects of one school).
 */
export function hiddenCells(records: readonly CountRecord[], meta: RoundMeta, threshold: number, unitOf: UnitOf, complementary: boolean): Hidden {
  const sizes = cellSizes(records, meta, unitOf);
  const hidden: Hidden = { groups: new Set(), items: new Set() };
  const below = (cells: ReadonlyMap<string, number>, already: ReadonlySet<string>) =>
    new Set([...cells].filter(([u, n]) => n > 0 && (n < threshold || already.has(u))).map(([u]) => u));
  for (const [group, cells] of sizes.groups) {
    for (const u of complementary ? suppressFamily(cells, threshold) : below(cells, new Set())) hidden.groups.add(groupKey(u, group));
  }
  for (const [family, cells] of sizes.items) {
    const group = family.split(SEP)[0]!;
    const already = new Set([...cells.keys()].filter((u) => hidden.groups.has(groupKey(u, group))));
    for (const u of complementary ? suppressFamily(cells, threshold, already) : below(cells, already)) hidden.items.add(`${u}${SEP}${family}`);
  }
  return hidden;
}

function hiddenTest(meta: RoundMeta, hidden: Hidden, unitOf: UnitOf) {
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  return (r: CountRecord) => {
    const group = formGroup.get(r.formId) ?? '';
    const unit = unitOf(r);
    return hidden.groups.has(groupKey(unit, group)) || (r.question !== '' && hidden.items.has([unit, group, r.question, r.row].join(SEP)));
  };
}

/** The records of published cells only: what every figure below the office is computed from. */
export function publishedRecords(records: readonly CountRecord[], meta: RoundMeta, hidden: Hidden, unitOf: UnitOf): CountRecord[] {
  if (!hidden.groups.size && !hidden.items.size) return [...records];
  const isHidden = hiddenTest(meta, hidden, unitOf);
  return records.filter((r) => !isHidden(r));
}

/** Whether any answer behind these records is held back. */
export function anyWithheld(records: readonly CountRecord[], meta: RoundMeta, hidden: Hidden, unitOf: UnitOf): boolean {
  if (!hidden.groups.size && !hidden.items.size) return false;
  const isHidden = hiddenTest(meta, hidden, unitOf);
  return records.some((r) => r.n > 0 && isHidden(r));
}

// ---------------------------------------------------------------------------------------------
// Published precision

const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const share = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
const dims1 = (d: Record<string, number | null> | null) => (d ? Object.fromEntries(Object.entries(d).map(([k, v]) => [k, r1(v)])) : null);

/** A summary as published: exact for the office; below it rounded, no counts on hidden cells, no marks. */
export function publishSummary<S extends Summary>(s: S, d: Disclosure): S {
  if (d.exact) return s;
  return {
    ...s,
    respondents: s.suppressed ? null : s.respondents,
    void: s.suppressed ? null : s.void,
    flagged: s.suppressed ? null : s.flagged,
    belowThreshold: false,
    score: r1(s.score),
    satisfaction: share(s.satisfaction),
    scoreCi95: s.scoreCi95 && [r1(s.scoreCi95[0])!, r1(s.scoreCi95[1])!],
    satisfactionCi95: s.satisfactionCi95 && [share(s.satisfactionCi95[0])!, share(s.satisfactionCi95[1])!],
    dimensions: dims1(s.dimensions),
    groups: s.groups.map((g) => ({
      ...g,
      respondents: g.suppressed ? null : g.respondents,
      score: r1(g.score),
      satisfaction: share(g.satisfaction),
      dimensions: dims1(g.dimensions),
    })),
  };
}

export function publishStats(s: QuestionStats, d: Disclosure): QuestionStats {
  if (d.exact) return s;
  return {
    ...s,
    mean: r1(s.mean),
    sd: r1(s.sd),
    median: r1(s.median),
    trimmedMean: r1(s.trimmedMean),
    ci95: s.ci95 && [r1(s.ci95[0])!, r1(s.ci95[1])!],
    satisfaction: share(s.satisfaction),
  };
}

export function publishShrinkage(s: RoundResults['shrinkage'], d: Disclosure): RoundResults['shrinkage'] {
  if (d.exact || !s) return s;
  return { ...s, pooledMean: r1(s.pooledMean), withinVariance: r1(s.withinVariance), betweenVariance: r1(s.betweenVariance) };
}

export const publishScore = (x: number | null, d: Disclosure) => (d.exact ? x : r1(x));
export const publishShare = (x: number, d: Disclosure) => (d.exact ? x : share(x)!);

/**
 * Whether a subject's comments may be listed: the office always; below it only when the
 * respondents of its published cells reach the comment threshold.
 */
export function commentsAllowed(publishedRespondents: number, d: Disclosure): boolean {
  return d.exact || publishedRespondents >= d.commentThreshold;
}

// ---------------------------------------------------------------------------------------------
// Assessment figures

/** A component value as a caller below the office reads it: its figure, or held back with no n. */
export type DisclosedComponent = Omit<ComponentValue, 'n' | 'disclosable'> & { n: number | null; withheld: boolean };

export interface DisclosedAssessment {
  components: DisclosedComponent[];
  compositeScore: number | null;
  rank: number | null;
  /** some figure behind this assessment is not released to the caller or is below the threshold */
  withheld: boolean;
}

/**
 * An assessment as the caller may read it. Below the office a component drawn from rounds is shown
 * only when every round is released to the caller's role and its figure was published whole
 * (nothing in it below the threshold, `disclosable` at computation), and, for a person rated mostly
 * in other schools (`elsewhere`), a school admin only once the office released the pooled figures; otherwise its value,
 * satisfaction and n are held back, and so are the composite and the rank, since the composite
 * minus the visible components would give it back. Entries (平时考核) are not survey figures.
 */
export function discloseAssessment(
  a: { components: ComponentValue[]; compositeScore: number | null; rank: number | null },
  role: Scope['role'],
  components: readonly Pick<AssessmentComponent, 'key' | 'source' | 'roundIds'>[],
  rounds: ReadonlyMap<string, Pick<Round, 'releasedToSchoolsAt' | 'releasedToStaffAt'> & { pooledReleasedAt?: Date | null }>,
): DisclosedAssessment {
  const exact = role === 'office';
  const shown = a.components.map((c): DisclosedComponent => {
    const def = components.find((x) => x.key === c.key);
    const { disclosable, elsewhere, ...rest } = c;
    const fromRounds = def ? def.source !== 'entries' : c.source.startsWith('round') || c.source.startsWith('school');
    const behind = (def?.roundIds ?? []).map((id) => rounds.get(id));
    const released = behind.every((r) => (r ? isReleasedTo(r, role) : false));
    // a person rated mostly in other schools: their own figure for themselves, for a school admin
    // only once the office has released the pooled figures of every round behind it
    const pooledOk = !elsewhere || role === 'staff' || behind.every((r) => Boolean(r?.pooledReleasedAt));
    const ok = exact || !fromRounds || (released && pooledOk && (disclosable === true || c.value === null));
    if (!ok) return { ...rest, value: null, satisfaction: null, n: null, withheld: true };
    return { ...rest, value: exact || !fromRounds ? c.value : r1(c.value), satisfaction: exact ? c.satisfaction : share(c.satisfaction), withheld: false };
  });
  const withheld = shown.some((c) => c.withheld);
  return {
    components: shown,
    compositeScore: withheld ? null : exact || a.compositeScore === null ? a.compositeScore : Math.round(a.compositeScore * 100) / 100,
    rank: withheld ? null : a.rank,
    withheld,
  };
}
