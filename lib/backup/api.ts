import path from 'node:path';
import { eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { DbHandle } from '@/lib/db/client';
import { units } from '@/lib/db/schema';
import { backupDir } from '@/lib/env';
import { ConflictError, ForbiddenError } from '@/lib/errors';
import { backupFileName, runBackup } from './run';

/**
 * A backup asked for through the API. It holds every district's data, so only the office of a top
 * unit (one without a parent: the county, or a district that runs alone) may ask for it, and the
 * file stays on the server: the answer is the manifest.
 */
export async function backupNow(handle: DbHandle, scope: Scope, actor: Actor) {
  if (scope.role !== 'office') throw new ForbiddenError('role_not_allowed');
  const [unit] = await handle.db.select({ parentId: units.parentId }).from(units).where(eq(units.id, scope.unitId));
  if (!unit || unit.parentId !== null) throw new ForbiddenError('top_unit_only');
  const dir = backupDir();
  if (!dir) throw new ConflictError('backup_dir_unset');
  const out = path.join(dir, backupFileName(new Date()));
  const m = await runBackup(handle, { out, trigger: 'api' });
  await recordAudit(handle.db, actor, { action: 'backup.create', entityType: 'backup', unitId: scope.unitId, summary: { file: path.basename(out), bytes: m.bytes, sha256: m.sha256 } });
  return { file: path.basename(out), createdAt: m.createdAt, database: m.database, migration: m.migrations.latest, tables: m.tables, bytes: m.bytes, sha256: m.sha256 };
}
