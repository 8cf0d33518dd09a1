import { getFormatter, getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { listApiKeys } from '@/lib/auth/admin';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { ROLES } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

export default async function ApiKeysPage() {
  const session = await requirePageSession('/admin/api-keys', ['office']);
  const t = await getTranslations('admin');
  const tr = await getTranslations('roles');
  const format = await getFormatter();
  const keys = await listApiKeys(await getDb(), session.scope);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'short', timeStyle: 'short' }) : t('never'));
  return (
    <>
      <h1>{t('apiKeysTitle')}</h1>
      <section className="card">
        <table>
          <thead>
            <tr>
              <th>{t('keyName')}</th>
              <th>{t('prefix')}</th>
              <th>{t('role')}</th>
              <th>{t('unit')}</th>
              <th>{t('createdAt')}</th>
              <th>{t('lastUsed')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{tr(k.role)}</td>
                <td>{k.unitName}</td>
                <td>{when(k.createdAt)}</td>
                <td>{when(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    t('revoked')
                  ) : (
                    <ApiForm method="DELETE" action={`/api/v1/api-keys/${k.id}`} submitLabel={t('revoke')} className="inline" danger />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card narrow">
        <h2>{t('createKey')}</h2>
        <ApiForm method="POST" action="/api/v1/api-keys" submitLabel={t('create')} labels={{ name: t('keyName'), role: t('role'), unit: t('unit') }}>
          <label>
            {t('keyName')}
            <input name="name" />
          </label>
          <label>
            {t('role')}
            <select name="role" defaultValue="supervisor">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {tr(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('unit')}
            <input name="unit" placeholder={t('unitHelp')} data-optional />
          </label>
        </ApiForm>
      </section>
    </>
  );
}
