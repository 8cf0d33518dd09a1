import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { SelfReportForm } from '@/app/_components/self-report-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getMyReport } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

export default async function ReportPage({ params }: { params: Promise<{ formId: string }> }) {
  const { formId } = await params;
  const session = await requirePageSession(`/me/report/${formId}`);
  const t = await getTranslations('me');
  let data;
  try {
    data = await getMyReport(await getDb(), session.scope, formId);
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'not_found' || err.code === 'forbidden' || err.code === 'validation')) notFound();
    throw err;
  }
  const report = data.report;
  return (
    <div className="workspace">
      <p>
        <Link href="/me">← {t('back')}</Link>
      </p>
      <h1>{data.formTitle}</h1>
      <p className="muted">
        {data.round.title} · {data.staff.name}
      </p>
      <p className="notice">{t('reportNote')}</p>
      <p>
        {t('status')}: <strong data-report-status={report?.status ?? 'none'}>{t(`statuses.${report?.status ?? 'none'}`)}</strong>
      </p>
      {report?.remark && report.status === 'returned' && (
        <p role="alert" className="error">
          {t('remark', { remark: report.remark })}
        </p>
      )}
      {data.editable ? (
        <SelfReportForm
          formId={formId}
          definition={data.definition}
          initial={report?.answers ?? {}}
          commitments={report?.commitments ?? ''}
          labels={{ commitments: t('commitments'), saveDraft: t('saveDraft'), saved: t('saved'), submit: t('submit'), submitted: t('reportSubmitted') }}
        />
      ) : (
        <>
          <p>{t('notEditable')}</p>
          <dl>
            <dt>{t('problems')}</dt>
            <dd>{report?.problems}</dd>
            <dt>{t('measures')}</dt>
            <dd>{report?.measures}</dd>
            <dt>{t('commitments')}</dt>
            <dd>{report?.commitments}</dd>
          </dl>
        </>
      )}
    </div>
  );
}
