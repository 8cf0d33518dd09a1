import { myTasksEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { listMyReports } from '@/lib/workspace/reports';
import { listMyTasks } from '@/lib/workspace/tasks';

export const dynamic = 'force-dynamic';

export const GET = handle(myTasksEndpoint, async ({ db, caller }) => ({ tasks: await listMyTasks(db, caller), reports: await listMyReports(db, caller) }));
