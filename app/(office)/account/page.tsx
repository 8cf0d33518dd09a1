import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { CurrentCampaign } from './current-campaign';

export const dynamic = 'force-dynamic';

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/account');
  const t = await getTranslations('auth');
  const tr = await getTranslations('roles');
  const te = await getTranslations('errors');
  const { denied } = await searchParams;
  return (
    <>
      <h1>{t('loggedInAs', { name: session.user.displayName, role: tr(session.user.role), unit: session.unitName })}</h1>
      {denied && <p role="alert" className="error">{te('forbidden')}</p>}
      {session.user.mustChangePassword && <p role="alert" className="error">{t('mustChange')}</p>}
      {!session.user.mustChangePassword && <CurrentCampaign db={await getDb()} scope={session.scope} />}
      <section className="card narrow">
        <h2>{t('changePassword')}</h2>
        <ApiForm
          method="POST"
          action="/api/v1/me/password"
          submitLabel={t('save')}
          successText={t('saved')}
          labels={{ currentPassword: t('currentPassword'), newPassword: t('newPassword') }}
        >
          <label>
            {t('currentPassword')}
            <input name="currentPassword" type="password" autoComplete="current-password" />
          </label>
          <label>
            {t('newPassword')}
            <input name="newPassword" type="password" autoComplete="new-password" minLength={10} />
          </label>
        </ApiForm>
      </section>
      <section className="card narrow">
        <ApiForm method="DELETE" action="/api/v1/session" submitLabel={t('logout')} redirectTo="/login" />
        <p className="muted">{t('logoutAllHelp')}</p>
        <ApiForm method="POST" action="/api/v1/session/logout-all" submitLabel={t('logoutAll')} redirectTo="/login" danger />
      </section>
    </>
  );
}
