/**
 * Complaint statistics for the office and the supervision post (效能监督岗): counts per school,
 * category and month (Asia/Shanghai) of the complaints about units in the caller's scope. Counts
 * only: no text, no names, so a supervisor reads how complaints are handled without reading them.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { ForbiddenError } from '@/lib/errors';

export async function complaintStats(db: Db, scope: Scope, now = new Date()) {
  if (scope.role !== 'office' && scope.role !== 'supervisor') throw new ForbiddenError('role_not_allowed');
  const ids = await unitIdsInScope(db, scope);
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const inScope = sql`c.unit_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const bySchool = rowsOf<{ unit_id: string; unit_name: string; total: number; open: number; overdue: number; closed: number; days: number | null }>(
    await db.execute(sql`
      select c.unit_id, u.name as unit_name, count(*)::int as total,
        (count(*) filter (where c.status not in ('closed', 'declined')))::int as open,
        (count(*) filter (where c.status not in ('closed', 'declined') and c.step_due_at < ${nowSql}))::int as overdue,
        (count(*) filter (where c.status = 'closed'))::int as closed,
        round((avg(extract(epoch from c.updated_at - c.created_at) / 86400) filter (where c.status = 'closed'))::numeric, 1)::float8 as days
      from complaints c join units u on u.id = c.unit_id
      where ${inScope}
      group by c.unit_id, u.name, u.sort_order order by u.sort_order, u.name`),
  );
  const byCategory = rowsOf<{ category: string; n: number }>(
    await db.execute(sql`select c.category, count(*)::int as n from complaints c where ${inScope} group by c.category order by c.category`),
  );
  const byMonth = rowsOf<{ month: string; n: number }>(
    await db.execute(sql`
      select to_char(c.created_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*)::int as n
      from complaints c where ${inScope} group by 1 order by 1`),
  );
  return {
    bySchool: bySchool.map((r) => ({ unitId: r.unit_id, unitName: r.unit_name, total: Number(r.total), open: Number(r.open), overdue: Number(r.overdue), closed: Number(r.closed), meanDaysToClose: r.days === null ? null : Number(r.days) })),
    byCategory: byCategory.map((r) => ({ category: r.category, n: Number(r.n) })),
    byMonth: byMonth.map((r) => ({ month: r.month, n: Number(r.n) })),
  };
}
