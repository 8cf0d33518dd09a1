import { requirePageSession } from '@/lib/auth/current';
import { filtersOf } from '@/app/(office)/results/_lib';
import { SchoolView } from '@/app/(office)/results/_views/school-view';

export const dynamic = 'force-dynamic';

export default async function Page({ params, searchParams }: { params: Promise<{ roundId: string; schoolId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { roundId, schoolId } = await params;
  const session = await requirePageSession(`/results/${roundId}/schools/${schoolId}`);
  return <SchoolView scope={session.scope} roundId={roundId} schoolId={schoolId} filters={filtersOf(await searchParams)} />;
}
