import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { listBallotLists } from '@/lib/rounds/ballot-lists';

export const dynamic = 'force-dynamic';

/** Saved ballot lists (评议名单) of the office: used on a round's ballot as @list:NAME. */
export default async function BallotListsPage() {
  const session = await requirePageSession('/rounds/ballot-lists', ['office']);
  const t = await getTranslations('ballotLists');
  const lists = await listBallotLists(await getDb(), session.scope);
  const labels = { name: t('name'), entries: t('entries') };
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('help')}</p>
      <section className="card" hidden={lists.length === 0}>
        <table>
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('use')}</th>
              <th>{t('entries')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id} data-list={l.name}>
                <td>{l.name}</td>
                <td>
                  <code>@list:{l.name}</code>
                </td>
                <td>
                  {l.entries.map((e) => (e.type === 'staff' ? `${e.name}（${e.label}）` : e.name)).join('、')}
                  <details>
                    <summary>{t('edit')}</summary>
                    <ApiForm method="PATCH" action={`/api/v1/ballot-lists/${l.id}`} submitLabel={t('save')} labels={labels}>
                      <label>
                        {t('name')}
                        <input name="name" defaultValue={l.name} />
                      </label>
                      <label>
                        {t('entries')}
                        <textarea name="entries" data-type="lines" rows={6} defaultValue={l.entries.map((e) => e.label).join('\n')} />
                      </label>
                    </ApiForm>
                  </details>
                </td>
                <td>
                  <ApiForm method="DELETE" action={`/api/v1/ballot-lists/${l.id}`} submitLabel={t('delete')} className="inline" danger />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card narrow">
        <h2>{t('create')}</h2>
        <ApiForm method="POST" action="/api/v1/ballot-lists" submitLabel={t('save')} labels={labels}>
          <label>
            {t('name')}
            <input name="name" placeholder={t('namePlaceholder')} />
          </label>
          <label>
            {t('entries')}
            <textarea name="entries" data-type="lines" rows={6} placeholder={t('entriesHelp')} />
          </label>
        </ApiForm>
      </section>
    </>
  );
}
