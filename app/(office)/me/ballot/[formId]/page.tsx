import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ColleagueBallot } from '@/app/_components/colleague-ballot';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getColleagueBallot } from '@/lib/workspace/tasks';

export const dynamic = 'force-dynamic';

export default async function BallotPage({ params }: { params: Promise<{ formId: string }> }) {
  const { formId } = await params;
  const session = await requirePageSession(`/me/ballot/${formId}`);
  const t = await getTranslations('me');
  let ballot;
  try {
    ballot = await getColleagueBallot(await getDb(), session.scope, formId);
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'not_found' || err.code === 'forbidden' || err.code === 'validation')) notFound();
    throw err;
  }
  return (
    <div className="workspace">
      <p>
        <Link href="/me">← {t('back')}</Link>
      </p>
      <h1>{ballot.formTitle}</h1>
      <p className="muted">
        {ballot.round.title} · {ballot.school}
      </p>
      <p className="notice">{t('anonymousNote')}</p>
      {ballot.done ? (
        <p role="status">{t('done')}</p>
      ) : (
        <ColleagueBallot
          formId={formId}
          subjects={ballot.subjects}
          definition={ballot.definition}
          labels={{ rate: t.raw('rate') as string, next: t('next'), submit: t('submit'), submitted: t.raw('submitted') as string, back: t('back') }}
        />
      )}
    </div>
  );
}
