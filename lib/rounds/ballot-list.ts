/**
 * Ballot lists by position. A ballot entry is a 工号, a unit name, or one of these selectors,
 * expanded when the round is created (the list is fixed from then on, like one typed by hand):
 *
 * - `@principals`: every 校长 and 副校长 of the round's schools
 * - `@middle`: the middle managers (主任, 中层) of each of the round's schools
 * - `@office`: the staff of the 学区办公室 (every office unit in the caller's scope)
 * - `@teams`: the 领导班子 of each of the round's schools (units of kind team)
 * - `@team-members`: each school's 领导班子 followed by its members (校长, 副校长, 书记 …), so the
 *   team as a whole and each member get their own 等次 in the same sitting
 * - `@list:NAME`: a saved ballot list of the office (lib/rounds/ballot-lists.ts)
 *
 * Entries keep their order; a person or unit listed twice is listed once.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { staff, units, type Unit } from '@/lib/db/schema';
import { expandSavedList } from './ballot-lists';

export const BALLOT_SELECTORS = ['@principals', '@middle', '@office', '@teams', '@team-members', '@list:名称'] as const;

/** 校长, 副校长, 执行校长 …; not 校长助理 (a middle manager). */
export const isPrincipal = (position: string) => /校长$/.test(position);
/** Members of a school's 领导班子: its principals and party secretaries (书记, 副书记). */
export const isTeamMember = (position: string) => isPrincipal(position) || /书记$/.test(position);
/** 教导主任, 总务主任, 德育主任, 办公室主任, 中层 …; a principal is not also a middle manager. */
export const isMiddleManager = (position: string) => !isPrincipal(position) && /主任|中层|校长助理/.test(position);

export type BallotEntry = { staffId: string } | { unitId: string };

/**
 * The entries a selector stands for, or null when the text is not a selector. `schoolIds` are the
 * round's schools; `scoped` every unit in the caller's scope; `ownUnitId` the caller's unit (whose
 * saved list wins when two units in scope keep a list of the same name).
 */
export async function expandSelector(db: Db, selector: string, schoolIds: readonly string[], scoped: readonly Unit[], ownUnitId: string | null = null): Promise<BallotEntry[] | null> {
  if (selector.startsWith('@list:')) return expandSavedList(db, selector.slice('@list:'.length).trim(), ownUnitId, scoped);
  const people = async (unitIds: readonly string[], keep: (position: string) => boolean) => {
    if (!unitIds.length) return [];
    const rows = await db
      .select({ id: staff.id, position: staff.position })
      .from(staff)
      .innerJoin(units, eq(units.id, staff.unitId))
      .where(and(inArray(staff.unitId, [...unitIds]), eq(staff.active, true)))
      .orderBy(asc(units.sortOrder), asc(units.name), asc(staff.staffNo));
    return rows.filter((r) => keep(r.position)).map((r) => ({ staffId: r.id }));
  };
  switch (selector) {
    case '@principals':
      return people(schoolIds, isPrincipal);
    case '@middle':
      return people(schoolIds, isMiddleManager);
    case '@office':
      return people(scoped.filter((u) => u.kind === 'office' && u.active).map((u) => u.id), () => true);
    case '@teams': {
      const order = new Map(schoolIds.map((id, i) => [id, i]));
      return scoped
        .filter((u) => u.kind === 'team' && u.active && u.parentId && order.has(u.parentId))
        .sort((a, b) => order.get(a.parentId!)! - order.get(b.parentId!)!)
        .map((u) => ({ unitId: u.id }));
    }
    case '@team-members': {
      const out: BallotEntry[] = [];
      for (const schoolId of schoolIds) {
        const team = scoped.find((u) => u.kind === 'team' && u.active && u.parentId === schoolId);
        if (team) out.push({ unitId: team.id });
        out.push(...(await people([schoolId], isTeamMember)));
      }
      return out;
    }
    default:
      return null;
  }
}

/** Drops repeats, keeping the first place of each person or unit. */
export function uniqueEntries(list: readonly BallotEntry[]): BallotEntry[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = 'staffId' in e ? e.staffId : e.unitId;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
