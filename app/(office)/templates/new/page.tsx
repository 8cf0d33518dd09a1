import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { templateKind } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

/** Import any SurveyJS JSON as a new template (it is checked with survey-core before it is saved). */
export default async function NewTemplatePage() {
  await requirePageSession('/templates/new', ['office']);
  const t = await getTranslations('templates');
  return (
    <section className="card narrow">
      <h1>{t('new')}</h1>
      <ApiForm method="POST" action="/api/v1/templates" submitLabel={t('import')} successText={t('imported')} redirectTo="/templates" labels={{ name: t('name'), kind: t('kind'), definition: 'JSON' }}>
        <label>
          {t('name')} <input name="name" />
        </label>
        <label>
          {t('kind')}
          <select name="kind" defaultValue="other">
            {templateKind.enumValues.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          SurveyJS JSON
          <textarea name="definition" data-type="json" rows={14} defaultValue={'{\n  "title": "新问卷",\n  "pages": [{ "name": "page1", "elements": [{ "type": "rating", "name": "q1", "title": "请评分" }] }]\n}'} />
        </label>
      </ApiForm>
    </section>
  );
}
