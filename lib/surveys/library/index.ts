import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { templates, templateVersions } from '@/lib/db/schema';
import { democraticAppraisal } from './democratic-appraisal';
import { parentSatisfaction } from './parent-satisfaction';
import { schoolSatisfaction } from './school-satisfaction';
import { selfInspection } from './self-inspection';
import { studentEvaluation } from './student-evaluation';

export const BUILT_IN_TEMPLATES = [parentSatisfaction, studentEvaluation, democraticAppraisal, schoolSatisfaction, selfInspection];

/** Installs the built-in templates that are missing (by key); existing ones are left as they are. */
export async function installLibrary(db: Db): Promise<number> {
  let installed = 0;
  for (const t of BUILT_IN_TEMPLATES) {
    const [existing] = await db.select({ id: templates.id }).from(templates).where(eq(templates.builtInKey, t.key));
    if (existing) continue;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(templates)
        .values({ kind: t.kind, name: t.name, description: t.description, builtInKey: t.key })
        .returning({ id: templates.id });
      await tx.insert(templateVersions).values({ templateId: row!.id, version: 1, definition: t.definition, note: '内置模板' });
    });
    installed++;
  }
  return installed;
}

export async function builtInVersion(db: Db, key: string) {
  const [row] = await db
    .select({ version: templateVersions })
    .from(templateVersions)
    .innerJoin(templates, eq(templates.id, templateVersions.templateId))
    .where(eq(templates.builtInKey, key))
    .orderBy(templateVersions.version)
    .limit(1);
  return row?.version;
}
