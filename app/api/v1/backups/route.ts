import { createBackupEndpoint } from '@/lib/api/endpoints-backups';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { backupNow } from '@/lib/backup/api';
import { appDatabase } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

export const POST = handle(createBackupEndpoint, async ({ caller }) => backupNow(await appDatabase(), caller, actorOf(caller)));
