import { and, count, desc, eq, ilike, inArray, isNull, or } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { MANAGERS, requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { likePattern, offsetOf } from '@/lib/paging';
import { templates, templateVersions } from '@/lib/db/schema';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { checkDefinition, type DefinitionIssue } from './definition';
import { sanitizeDefinition } from './sanitize';
import { createTemplateInput, saveVersionInput } from './schemas';

const requireReader = (scope: Scope) => requireRole(scope, MANAGERS);
const requireOffice = (scope: Scope) => requireRole(scope, ['office']);

/**
 * Refuses a definition that cannot be run, stored or scored, listing every error with its path;
 * returns the warnings of one that can (it is saved as written, warnings and all).
 */
export function assertDefinition(definition: unknown): DefinitionIssue[] {
  const { errors, warnings } = checkDefinition(definition);
  if (errors.length) {
    throw new DomainError(
      'definition_invalid',
      { count: errors.length },
      undefined,
      errors.map((i) => ({ sheet: '', row: 0, column: i.path, code: i.code, params: i.params })),
    );
  }
  return warnings;
}

/**
 * The one way a definition from outside is stored: sanitised (no script, handler or javascript:
 * URL survives in any string SurveyJS shows), then checked like any other.
 */
async function acceptDefinition(definition: Record<string, unknown>) {
  const clean = await sanitizeDefinition(definition);
  return { definition: clean, warnings: assertDefinition(clean) };
}

/** The built-in library and the templates of the caller's units, each with its latest version. */
/**
 * The built-in library and the district's own templates, by kind and name; with `page`, one page
 * of them (q searches the name) and how many match in all.
 */
export async function listTemplates(db: Db, scope: Scope, filter: { q?: string; page?: { page: number; limit: number } } = {}) {
  requireReader(scope);
  const ids = await unitIdsInScope(db, scope);
  const where = and(eq(templates.archived, false), or(isNull(templates.unitId), inArray(templates.unitId, ids)), filter.q ? ilike(templates.name, likePattern(filter.q)) : undefined);
  const query = db.select().from(templates).where(where).orderBy(templates.kind, templates.name, templates.id);
  const rows = filter.page ? await query.limit(filter.page.limit).offset(offsetOf(filter.page)) : await query;
  const total = filter.page ? Number((await db.select({ n: count() }).from(templates).where(where))[0]!.n) : rows.length;
  const versions = rows.length
    ? await db
        .select({ templateId: templateVersions.templateId, version: templateVersions.version, lockedAt: templateVersions.lockedAt, createdAt: templateVersions.createdAt })
        .from(templateVersions)
        .where(inArray(templateVersions.templateId, rows.map((r) => r.id)))
        .orderBy(desc(templateVersions.version))
    : [];
  return Object.assign(
    rows.map((t) => ({ ...t, builtIn: t.builtInKey !== null, versions: versions.filter((v) => v.templateId === t.id) })),
    { total },
  );
}

export async function getTemplate(db: Db, scope: Scope, id: string) {
  requireReader(scope);
  const [t] = await db.select().from(templates).where(eq(templates.id, id));
  if (!t || (t.unitId && !(await unitIdsInScope(db, scope)).includes(t.unitId))) throw new NotFoundError('template');
  const versions = await db.select().from(templateVersions).where(eq(templateVersions.templateId, id)).orderBy(desc(templateVersions.version));
  return { template: t, versions };
}

export async function getVersion(db: Db, scope: Scope, templateId: string, version: number) {
  const { template, versions } = await getTemplate(db, scope, templateId);
  const v = versions.find((x) => x.version === version);
  if (!v) throw new NotFoundError('template_version');
  return { template, version: v, questions: checkDefinition(v.definition).questions };
}

/** Creates (or imports) a template from any valid SurveyJS definition, as version 1. */
export async function createTemplate(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof createTemplateInput>) {
  requireOffice(scope);
  const input = parseInput(createTemplateInput, raw);
  const { definition, warnings } = await acceptDefinition(input.definition);
  return db.transaction(async (tx) => {
    const [t] = await tx
      .insert(templates)
      .values({ unitId: scope.unitId, kind: input.kind, name: input.name, description: input.description ?? '' })
      .returning();
    const [v] = await tx.insert(templateVersions).values({ templateId: t!.id, version: 1, definition, createdBy: scope.userId ?? null }).returning();
    await recordAudit(tx, actor, { action: 'template.create', entityType: 'template', entityId: t!.id, unitId: scope.unitId, summary: { name: input.name, kind: input.kind } });
    return { template: t!, version: v!, warnings };
  });
}

/**
 * Saves an edited definition. The latest version is changed in place while no round has used it;
 * once used (locked) it is immutable and the edit becomes a new version. Built-in templates are
 * shared by every district and read-only: copy one with createTemplate to change it.
 */
export async function saveVersion(db: Db, scope: Scope, actor: Actor, templateId: string, raw: z.input<typeof saveVersionInput>) {
  requireOffice(scope);
  const input = parseInput(saveVersionInput, raw);
  const { template, versions } = await getTemplate(db, scope, templateId);
  if (template.builtInKey) throw new ForbiddenError('builtin_readonly');
  const { definition, warnings } = await acceptDefinition(input.definition);
  const latest = versions[0]!;
  return db.transaction(async (tx) => {
    let saved;
    if (!latest.lockedAt) {
      // only while still unlocked: a round that opened meanwhile makes this a new version instead
      [saved] = await tx
        .update(templateVersions)
        .set({ definition, note: input.note ?? latest.note })
        .where(and(eq(templateVersions.id, latest.id), isNull(templateVersions.lockedAt)))
        .returning();
    }
    if (!saved) {
      [saved] = await tx
        .insert(templateVersions)
        .values({ templateId, version: latest.version + 1, definition, note: input.note ?? '', createdBy: scope.userId ?? null })
        .returning();
    }
    await recordAudit(tx, actor, {
      action: latest.lockedAt ? 'template.new_version' : 'template.update_draft',
      entityType: 'template',
      entityId: templateId,
      unitId: template.unitId,
      summary: { version: saved!.version },
    });
    return { ...saved!, warnings };
  });
}
