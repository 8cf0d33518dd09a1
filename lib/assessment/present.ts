/** API shapes of annual-assessment records (dates as ISO strings). */
import type { Assessment, AssessmentYear } from '@/lib/db/schema';
import type { DisclosedComponent } from '@/lib/scoring/disclosure';
import type { EffectiveYearStatus } from './status';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentYear(year: AssessmentYear, unitName: string, status: EffectiveYearStatus) {
  return {
    id: year.id,
    unitId: year.unitId,
    unitName,
    year: year.year,
    title: year.title,
    status,
    computedAt: iso(year.computedAt),
    announcedAt: iso(year.announcedAt),
    announcementEndsAt: iso(year.announcementEndsAt),
    lockedAt: iso(year.lockedAt),
  };
}

export function presentAssessment(r: {
  a: Omit<Assessment, 'components'> & { components: DisclosedComponent[] };
  subject: 'staff' | 'unit';
  staffNo: string;
  name: string;
  position: string;
  unitName: string;
  withheld: boolean;
}) {
  return {
    id: r.a.id,
    subject: r.subject,
    staffId: r.a.staffId,
    subjectUnitId: r.a.subjectUnitId,
    staffNo: r.staffNo,
    name: r.name,
    position: r.position,
    unitName: r.unitName,
    components: r.a.components,
    compositeScore: r.a.compositeScore,
    withheld: r.withheld,
    renormalised: r.a.renormalised,
    rank: r.a.rank,
    proposedGrade: r.a.proposedGrade,
    notes: r.a.notes,
    grade: r.a.grade,
    reason: r.a.reason,
    signedBy: r.a.signedByLabel,
    signedAt: iso(r.a.signedAt),
  };
}
