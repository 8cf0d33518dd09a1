import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { listTemplates } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

const PER_PAGE = 50;

export default async function TemplatesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const search = await searchParams;
  const page = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const session = await requirePageSession('/templates', ['office', 'school_admin']);
  const t = await getTranslations('templates');
  const format = await getFormatter();
  const list = await listTemplates(await getDb(), session.scope, { q, page: { page, limit: PER_PAGE } });
  return (
    <>
      <h1>{t('title')}</h1>
      {session.user.role === 'office' && (
        <p>
          <Link href="/templates/new">{t('new')}</Link>
        </p>
      )}
      <section className="card">
        <ListControls total={list.total} page={page} limit={PER_PAGE} q={q} placeholder={t('search')} />
        <table>
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('kind')}</th>
              <th>{t('latest')}</th>
              <th>{t('source')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((tpl) => (
              <tr key={tpl.id} data-template={tpl.name}>
                <td>
                  <Link href={`/templates/${tpl.id}`}>{tpl.name}</Link>
                </td>
                <td>{t(`kinds.${tpl.kind}`)}</td>
                <td>
                  v{tpl.versions[0]?.version} {tpl.versions[0]?.lockedAt ? `· ${t('locked')}` : ''}{' '}
                  <span className="muted">{tpl.versions[0] ? format.dateTime(tpl.versions[0].createdAt, { dateStyle: 'short' }) : ''}</span>
                </td>
                <td>{tpl.builtIn ? t('builtIn') : t('own')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
