import { requirePageSession } from '@/lib/auth/current';
import { filtersOf } from '@/app/(office)/results/_lib';
import { TeacherView } from '@/app/(office)/results/_views/teacher-view';

export const dynamic = 'force-dynamic';

export default async function Page({ params, searchParams }: { params: Promise<{ roundId: string; staffId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { roundId, staffId } = await params;
  const session = await requirePageSession(`/results/${roundId}/teachers/${staffId}`);
  return <TeacherView scope={session.scope} roundId={roundId} staffId={staffId} filters={{ raterGroupId: filtersOf(await searchParams).raterGroupId }} />;
}
