import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { listUsers } from '@/lib/auth/admin';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { ROLES } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const session = await requirePageSession('/admin/users', ['office']);
  const t = await getTranslations('admin');
  const tr = await getTranslations('roles');
  const ta = await getTranslations('auth');
  const users = await listUsers(await getDb(), session.scope);
  const labels = { username: ta('username'), displayName: t('displayName'), role: t('role'), unit: t('unit'), staffNo: t('staffNo'), password: ta('password') };
  const roleOptions = ROLES.map((r) => (
    <option key={r} value={r}>
      {tr(r)}
    </option>
  ));
  return (
    <>
      <h1>{t('usersTitle')}</h1>
      <section className="card">
        <table>
          <thead>
            <tr>
              <th>{ta('username')}</th>
              <th>{t('displayName')}</th>
              <th>{t('role')}</th>
              <th>{t('unit')}</th>
              <th>{t('staffNo')}</th>
              <th>{t('status')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-username={u.username}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{tr(u.role)}</td>
                <td>{u.unitName}</td>
                <td>{u.staffNo}</td>
                <td>{u.disabled ? t('disabled') : t('active')}</td>
                <td>
                  {u.id !== session.user.id && (
                    <>
                      <ApiForm method="PATCH" action={`/api/v1/users/${u.id}`} submitLabel={u.disabled ? t('enable') : t('disable')} className="inline">
                        <input type="hidden" name="disabled" value={u.disabled ? 'false' : 'true'} data-type="boolean" />
                      </ApiForm>
                      <ApiForm method="POST" action={`/api/v1/users/${u.id}/reset-password`} submitLabel={t('resetPassword')} className="inline" />
                      <ApiForm method="PATCH" action={`/api/v1/users/${u.id}`} submitLabel={t('changeRole')} className="inline" labels={labels}>
                        <select name="role" defaultValue={u.role} aria-label={t('role')}>
                          {roleOptions}
                        </select>
                        <input name="unit" defaultValue={u.unitName} aria-label={t('unit')} size={10} />
                      </ApiForm>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card narrow">
        <h2>{t('createUser')}</h2>
        <ApiForm method="POST" action="/api/v1/users" submitLabel={t('create')} labels={labels}>
          <label>
            {ta('username')}
            <input name="username" autoComplete="off" />
          </label>
          <label>
            {t('displayName')}
            <input name="displayName" data-optional />
          </label>
          <label>
            {t('role')}
            <select name="role" defaultValue="staff">
              {roleOptions}
            </select>
          </label>
          <label>
            {t('staffNo')}
            <input name="staffNo" placeholder={t('staffNoHelp')} data-optional />
          </label>
          <label>
            {t('unitOrStaff')}
            <input name="unit" placeholder={t('unitHelp')} data-optional />
          </label>
          <label>
            {t('optionalPassword')}
            <input name="password" type="password" autoComplete="new-password" data-optional />
          </label>
        </ApiForm>
      </section>
    </>
  );
}
