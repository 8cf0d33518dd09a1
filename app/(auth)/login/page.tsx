import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { currentSession } from '@/lib/auth/current';

export const dynamic = 'force-dynamic';

function safeNext(next: string | string[] | undefined): string {
  const n = typeof next === 'string' ? next : '';
  // only same-site paths: never an open redirect
  return n.startsWith('/') && !n.startsWith('//') ? n : '/account';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const t = await getTranslations('auth');
  const next = safeNext((await searchParams).next);
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
