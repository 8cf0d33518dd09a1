import { getTranslations } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { RESUME_COOKIE, staticFirstPage } from '@/app/_components/first-page';
import { SurveyRunner } from '@/app/_components/survey-runner';
import { clientAddress } from '@/lib/auth/caller';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { translate } from '@/lib/i18n/translate';
import { resolveToken, type ResolvedLink } from '@/lib/responses/respond';

export const dynamic = 'force-dynamic';

/**
 * The answering page: no login, phone first, Simplified Chinese. The first page of the form is
 * server-rendered HTML where it can be (see first-page.ts), so it shows and can be answered
 * before SurveyJS has loaded.
 */
export default async function AnswerPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations('answer');
  let resolved: ResolvedLink;
  try {
    resolved = await resolveToken(await getDb(), token, clientAddress(await headers()));
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return (
      <section className="answer closed" data-reason={String(err.params.reason ?? err.code)}>
        <h1>{t('title')}</h1>
        <p role="alert">{translate('zh-CN', err)}</p>
      </section>
    );
  }
  const resuming = (await cookies()).has(RESUME_COOKIE);
  return (
    <section className="answer">
      <h1>{resolved.round.title}</h1>
      <p className="muted">
        {resolved.schoolName}
        {resolved.className ? ` · ${resolved.className}` : ''}
      </p>
      <p className="anonymity">{t('anonymity')}</p>
      {resolved.subjects.length === 0 ? (
        <p role="alert">{t('noSubjects')}</p>
      ) : (
        <SurveyRunner
          token={token}
          definition={resolved.definition}
          subjects={resolved.subjects}
          multiUse={resolved.link.kind === 'class'}
          firstPage={resuming ? null : staticFirstPage(resolved.definition)}
        />
      )}
    </section>
  );
}
