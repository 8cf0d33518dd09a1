import ExcelJS from 'exceljs';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { MANAGERS, requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { hashPassword, randomPassword } from '@/lib/auth/secrets';
import type { Db } from '@/lib/db/client';
import { staff, units, users } from '@/lib/db/schema';
import { ValidationError } from '@/lib/errors';
import { safeRow } from '@/lib/spreadsheet';
import { parseInput } from '@/lib/validation';
import type * as s from './schemas';
import { createStaffAccountsInput } from './schemas';

export interface NewAccount {
  staffNo: string;
  name: string;
  unitName: string;
  username: string;
  /** the initial password: returned once, never stored (only its argon2id hash) */
  password: string;
}

/** argon2id takes ~19 MiB and tens of milliseconds per hash: a few at a time on libuv's thread pool */
const HASH_CONCURRENCY = 4;

async function hashAll(passwords: string[]): Promise<string[]> {
  const out: string[] = new Array(passwords.length);
  let next = 0;
  const worker = async () => {
    while (next < passwords.length) {
      const i = next++;
      out[i] = await hashPassword(passwords[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, passwords.length) }, worker));
  return out;
}

/** The 工号 as username; a short or taken one gets a prefix or a number. */
function pickUsername(staffNo: string, taken: Set<string>): string {
  const base = staffNo.length >= 3 ? staffNo : `gh${staffNo}`;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** The unit whose staff get accounts: one the caller names (within the scope), else the caller's own. */
async function targetUnit(db: Db, scope: Scope, name: string | undefined) {
  const ids = await unitIdsInScope(db, scope);
  const found = await db
    .select()
    .from(units)
    .where(and(inArray(units.id, ids), name ? eq(units.name, name) : eq(units.id, scope.unitId)));
  if (found.length !== 1) throw new ValidationError({ unit: [{ key: found.length ? 'import_ambiguous_unit' : 'import_unknown_unit', params: { value: name ?? '' } }] });
  return found[0]!;
}

/**
 * Creates a staff login for every active staff member of a unit (and the units beneath it) who has
 * none: username = 工号 unless taken, a random initial password that must be changed at first login,
 * the staff record's unit. Re-running creates only the missing ones. The passwords are returned
 * once, for the printed slips; only their hashes are kept.
 */
export async function createStaffAccounts(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof s.createStaffAccountsInput>) {
  requireRole(scope, MANAGERS);
  const input = parseInput(createStaffAccountsInput, raw);
  const unit = await targetUnit(db, scope, input.unit);
  const unitIds = await unitIdsInScope(db, { role: scope.role, unitId: unit.id });
  const pending = await db
    .select({ id: staff.id, staffNo: staff.staffNo, name: staff.name, unitId: staff.unitId, unitName: units.name })
    .from(staff)
    .innerJoin(units, eq(units.id, staff.unitId))
    .leftJoin(users, eq(users.staffId, staff.id))
    .where(and(inArray(staff.unitId, unitIds), eq(staff.active, true), isNull(users.id)))
    .orderBy(asc(units.sortOrder), asc(units.name), asc(staff.staffNo));
  if (!pending.length) return { unit, accounts: [] as NewAccount[] };

  const passwords = pending.map(() => randomPassword());
  const hashes = await hashAll(passwords);
  return db.transaction(async (tx) => {
    const taken = new Set((await tx.select({ u: users.username }).from(users)).map((r) => r.u.toLowerCase()));
    const accounts: NewAccount[] = pending.map((p, i) => ({
      staffNo: p.staffNo,
      name: p.name,
      unitName: p.unitName,
      username: pickUsername(p.staffNo, taken),
      password: passwords[i]!,
    }));
    // users_staff_id_unique makes a concurrent second run fail instead of doubling accounts
    await tx.insert(users).values(
      pending.map((p, i) => ({
        username: accounts[i]!.username,
        displayName: p.name,
        passwordHash: hashes[i]!,
        role: 'staff' as const,
        unitId: p.unitId,
        staffId: p.id,
        mustChangePassword: true,
      })),
    );
    await recordAudit(tx, actor, {
      action: 'user.create_for_staff',
      entityType: 'user',
      unitId: unit.id,
      summary: { unit: unit.name, created: accounts.length, usernames: accounts.map((a) => a.username) },
    });
    return { unit, accounts };
  });
}

/** The new accounts as an xlsx sheet (shown once, like the slips). */
export async function accountsWorkbook(accounts: NewAccount[], loginUrl: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('账号');
  ws.addRow(['工号', '姓名', '所属单位', '用户名', '初始密码', '登录地址']);
  for (const a of accounts) ws.addRow(safeRow([a.staffNo, a.name, a.unitName, a.username, a.password, loginUrl]));
  ws.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
