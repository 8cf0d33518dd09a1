/**
 * The proposal rules of an annual assessment, pure: thresholds give a grade, caps (sanctions,
 * 效能问责 measures, a low 满意率) lower it, and the 优秀 quota of each unit is filled by rank. The system only proposes; a
 * person signs off every grade (lib/assessment/mutations.ts).
 *
 * Tie rule at the quota boundary (documented in README): staff are ranked by composite score
 * rounded to 2 decimals; equal scores are ordered by the tie-break component's value (higher
 * first, none last). If people are still equal on both and the boundary falls among them, none of
 * that tied group is proposed 优秀 (the quota is a ceiling, never exceeded by the proposal); each
 * is marked `quota_tie`, so the office sees the tie and decides, with a reason, at sign-off.
 */
import type { AssessmentGrade, ComponentValue, GradingRules, ProposalNote } from '@/lib/db/schema';

export const GRADE_ORDER: readonly AssessmentGrade[] = ['excellent', 'qualified', 'basically_qualified', 'unqualified'];

export const DEFAULT_RULES: GradingRules = {
  thresholds: { excellent: 90, qualified: 75, basicallyQualified: 60 },
  excellentQuotaPercent: 20,
  tieBreakComponent: 'democratic',
  sanctionCaps: { 警告: 'qualified', 记过: 'basically_qualified', 记大过: 'basically_qualified', 降级: 'unqualified', 撤职: 'unqualified' },
  satisfactionFloor: { component: 'parent', below: 0.6, cap: 'qualified' },
};

export function readRules(stored: Partial<GradingRules> | null | undefined): GradingRules {
  return { ...DEFAULT_RULES, ...(stored ?? {}), thresholds: { ...DEFAULT_RULES.thresholds, ...(stored?.thresholds ?? {}) } };
}

/** The worse of two grades (a cap can only lower). */
export function worse(a: AssessmentGrade, b: AssessmentGrade): AssessmentGrade {
  return GRADE_ORDER.indexOf(a) >= GRADE_ORDER.indexOf(b) ? a : b;
}

export function gradeByScore(score: number, t: GradingRules['thresholds']): AssessmentGrade {
  if (score >= t.excellent) return 'excellent';
  if (score >= t.qualified) return 'qualified';
  if (score >= t.basicallyQualified) return 'basically_qualified';
  return 'unqualified';
}

export interface Candidate {
  staffId: string;
  name: string;
  unitId: string;
  score: number | null;
  components: ComponentValue[];
  sanctions: string[];
  /** 效能问责 measures of the year whose kind caps the grade (lib/accountability/caps.ts) */
  measureCaps?: { measure: string; cap: AssessmentGrade }[];
}

export interface Proposal {
  grade: AssessmentGrade | null;
  rank: number | null;
  notes: ProposalNote[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** 优秀 places of a unit: floor(assessed × percent ÷ 100); null percent = no quota. */
export function quotaPlaces(assessed: number, percent: number | null): number {
  return percent === null ? assessed : Math.floor((assessed * percent) / 100 + 1e-9);
}

export function propose(people: readonly Candidate[], rules: GradingRules): Map<string, Proposal> {
  const out = new Map<string, Proposal>();
  for (const p of people) {
    const notes: ProposalNote[] = [];
    if (p.score === null) {
      out.set(p.staffId, { grade: null, rank: null, notes: [{ code: 'no_score' }] });
      continue;
    }
    let grade = gradeByScore(p.score, rules.thresholds);
    for (const s of p.sanctions) {
      const cap = rules.sanctionCaps[s];
      if (cap && worse(grade, cap) !== grade) {
        grade = cap;
        notes.push({ code: 'sanction_cap', params: { sanction: s, cap } });
      }
    }
    for (const m of p.measureCaps ?? []) {
      if (worse(grade, m.cap) !== grade) {
        grade = m.cap;
        notes.push({ code: 'accountability_cap', params: { measure: m.measure, cap: m.cap } });
      }
    }
    const floor = rules.satisfactionFloor;
    const sat = floor ? p.components.find((c) => c.key === floor.component)?.satisfaction : null;
    if (floor && sat !== null && sat !== undefined && sat < floor.below && worse(grade, floor.cap) !== grade) {
      grade = floor.cap;
      notes.push({ code: 'satisfaction_cap', params: { satisfaction: sat, below: floor.below, cap: floor.cap } });
    }
    out.set(p.staffId, { grade, rank: null, notes });
  }

  const units = new Map<string, Candidate[]>();
  for (const p of people) if (p.score !== null) units.set(p.unitId, [...(units.get(p.unitId) ?? []), p]);
  const tieValue = (p: Candidate) => p.components.find((c) => c.key === rules.tieBreakComponent)?.value ?? -Infinity;
  for (const members of units.values()) {
    const byScore = [...members].sort((a, b) => r2(b.score!) - r2(a.score!) || tieValue(b) - tieValue(a));
    // competition ranking by the rounded score: equal scores share a rank
    byScore.forEach((p, i) => {
      const prev = byScore[i - 1];
      out.get(p.staffId)!.rank = prev && r2(prev.score!) === r2(p.score!) ? out.get(prev.staffId)!.rank : i + 1;
    });
    const places = quotaPlaces(members.length, rules.excellentQuotaPercent);
    const eligible = byScore.filter((p) => out.get(p.staffId)!.grade === 'excellent');
    if (eligible.length <= places) continue;
    const same = (a: Candidate, b: Candidate) => r2(a.score!) === r2(b.score!) && tieValue(a) === tieValue(b);
    const last = eligible[places - 1];
    const first = eligible[places]!;
    const heldBack = last && same(last, first) ? new Set(eligible.filter((p) => same(p, first)).map((p) => p.staffId)) : new Set<string>();
    const scoreTie = last && r2(last.score!) === r2(first.score!) && !same(last, first);
    eligible.forEach((p, i) => {
      const prop = out.get(p.staffId)!;
      if (heldBack.has(p.staffId)) {
        prop.grade = 'qualified';
        prop.notes.push({ code: 'quota_tie', params: { places, tied: heldBack.size } });
      } else if (i >= places) {
        prop.grade = 'qualified';
        prop.notes.push({ code: 'quota', params: { places, rank: prop.rank ?? 0 } });
      }
      if (scoreTie && r2(p.score!) === r2(first.score!)) prop.notes.push({ code: 'tie_broken', params: { component: rules.tieBreakComponent ?? '' } });
    });
  }
  return out;
}
