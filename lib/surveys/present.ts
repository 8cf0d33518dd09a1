import type { Template, TemplateVersion } from '@/lib/db/schema';

/** The API shape of a template with its versions. */
export function presentTemplate(t: Template, versions: Pick<TemplateVersion, 'version' | 'lockedAt' | 'createdAt'>[]) {
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    description: t.description,
    builtIn: t.builtInKey !== null,
    versions: versions.map((v) => ({ version: v.version, locked: v.lockedAt !== null, createdAt: v.createdAt.toISOString() })),
  };
}
