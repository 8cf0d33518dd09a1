import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { TemplateEditor } from '@/app/_components/template-editor';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getTemplate } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export default async function TemplateEditorPage({ params }: { params: Promise<{ templateId: string }> }) {
  const { templateId } = await params;
  const session = await requirePageSession(`/templates/${templateId}`, ['office', 'school_admin']);
  const t = await getTranslations('templates');
  let found;
  try {
    found = /^[0-9a-f-]{36}$/i.test(templateId) ? await getTemplate(await getDb(), session.scope, templateId) : null;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') found = null;
    else throw err;
  }
  if (!found) notFound();
  const latest = found.versions[0]!;
  return (
    <>
      <h1>
        {found.template.name} <span className="muted">v{latest.version}</span>
      </h1>
      <p className="muted">
        {found.template.builtInKey ? t('builtInHelp') : latest.lockedAt ? t('lockedHelp') : t('draftHelp')}
      </p>
      <TemplateEditor
        templateId={found.template.id}
        initial={latest.definition}
        builtIn={Boolean(found.template.builtInKey)}
        name={found.template.name}
        kind={found.template.kind}
      />
    </>
  );
}
