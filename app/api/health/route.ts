import pkg from '@/package.json';
import { health } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { backupStatus } from '@/lib/backup/run';
import { appDatabase } from '@/lib/db/client';
import { migrationStatus } from '@/lib/db/migrate';
import { backupDir } from '@/lib/env';

export const dynamic = 'force-dynamic';

export const GET = handle(health, async () => {
  const handle = await appDatabase();
  const migrations = await migrationStatus(handle);
  const scheduled = backupDir() !== null;
  // a missing backup table (migrations behind) must not break the health answer
  const backup = migrations.current ? await backupStatus(handle.db) : { lastGoodAt: null, stale: true };
  const degraded = !migrations.current || (scheduled && backup.stale);
  return { status: degraded ? 'degraded' : 'ok', database: handle.kind, migrations, version: pkg.version, backup: { ...backup, scheduled } };
});
