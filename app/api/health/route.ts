import pkg from '@/package.json';
import { health } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { appDatabase } from '@/lib/db/client';
import { migrationStatus } from '@/lib/db/migrate';

export const dynamic = 'force-dynamic';

export const GET = handle(health, async () => {
  const handle = await appDatabase();
  const migrations = await migrationStatus(handle);
  return { status: migrations.current ? 'ok' : 'degraded', database: handle.kind, migrations, version: pkg.version };
});
