import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { currentSession } from '@/lib/auth/current';
import { safeNextPath } from '@/lib/auth/next-path';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations('auth');
  const next = safeNextPath((await searchParams).next);
  if (await currentSession()) redirect(next);
  return (
    <section className="card narrow">
      <h1>{t('loginTitle')}</h1>
      <ApiForm method="POST" action="/api/v1/session" submitLabel={t('submit')} redirectTo={next} labels={{ username: t('username'), password: t('password') }}>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
      </ApiForm>
    </section>
  );
}
