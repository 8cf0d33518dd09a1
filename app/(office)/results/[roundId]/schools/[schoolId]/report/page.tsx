import { getFormatter, getTranslations } from 'next-intl/server';
import { requirePageSession } from '@/lib/auth/current';
import { filtersOf } from '@/app/(office)/results/_lib';
import { SchoolView } from '@/app/(office)/results/_views/school-view';

export const dynamic = 'force-dynamic';

/** The print-ready report (A4): the same figures, charts and tables, laid out for paper or PDF. */
export default async function Report({ params, searchParams }: { params: Promise<{ roundId: string; schoolId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { roundId, schoolId } = await params;
  const session = await requirePageSession(`/results/${roundId}/schools/${schoolId}/report`);
  const t = await getTranslations('results');
  const format = await getFormatter();
  return (
    <article className="report">
      <p className="report-head">
        {t('report')} · {t('generated')} {format.dateTime(new Date(), { dateStyle: 'long' })}
      </p>
      <SchoolView scope={session.scope} roundId={roundId} schoolId={schoolId} filters={filtersOf(await searchParams)} print />
    </article>
  );
}
