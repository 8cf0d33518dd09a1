import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@/lib/auth/scope';
import type { DbHandle } from '@/lib/db/client';
import { templates, templateVersions, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DomainError, ValidationError } from '@/lib/errors';
import { translateFields, translateIssues } from '@/lib/i18n/translate';
import { compiledVersion } from '@/lib/surveys/compile';
import { createTemplate, getVersion, listTemplates, saveVersion } from '@/lib/surveys/templates';
import { validateAnswers } from '@/lib/surveys/validate';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
let office: Scope;
const actor = { type: 'cli', label: 'test' } as const;
const def = (title: string) => ({ title, pages: [{ name: 'p', elements: [{ type: 'rating', name: 'q', rateMax: 5, isRequired: true }] }] });

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  office = { role: 'office', unitId: district!.id };
});
afterAll(() => handle.close());

describe('template library', () => {
  it('is installed on first start with the five built-in Chinese templates', async () => {
    const list = await listTemplates(handle.db, office);
    expect(list.filter((t) => t.builtIn).map((t) => t.name).sort()).toEqual(
      ['家长满意度问卷', '学生评教表', '民主评议表', '学校满意度测评表', '教职工六查六看自评表'].sort(),
    );
  });
});

describe('versions', () => {
  it('edits the draft in place, and makes a new version once a round has used it', async () => {
    const { template } = await createTemplate(handle.db, office, actor, { kind: 'other', name: '课后服务调查', definition: def('v1') });
    expect((await saveVersion(handle.db, office, actor, template.id, { definition: def('v1 edited') })).version).toBe(1);
    await handle.db.update(templateVersions).set({ lockedAt: new Date() }).where(eq(templateVersions.templateId, template.id));
    const v2 = await saveVersion(handle.db, office, actor, template.id, { definition: def('v2') });
    expect(v2.version).toBe(2);
    const v1 = await getVersion(handle.db, office, template.id, 1);
    expect(v1.version.definition).toMatchObject({ title: 'v1 edited' });
    expect((await getVersion(handle.db, office, template.id, 2)).version.definition).toMatchObject({ title: 'v2' });
  });

  it('built-in templates are read-only', async () => {
    const [builtIn] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'democratic-appraisal'));
    await expect(saveVersion(handle.db, office, actor, builtIn!.id, { definition: def('x') })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('an invalid definition is refused with every error located, and nothing is saved', async () => {
    const before = (await handle.db.select().from(templates)).length;
    const err = await createTemplate(handle.db, office, actor, {
      kind: 'other',
      name: '坏问卷',
      definition: { pages: [{ name: 'p', elements: [{ type: 'rating', name: 'q', rateMaxx: 5 }, { type: 'radiogroup', name: 'r', choices: ['a'], pingyiScores: { b: 1 } }] }] },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('definition_invalid');
    expect(translateIssues('zh-CN', err as DomainError)!.map((i) => i.message)).toEqual(['pages[0].elements[1]：r 的分值表中有不存在的选项：b']);
    expect((await handle.db.select().from(templates)).length).toBe(before);
  });

  it('a definition with warnings is imported exactly as written, unknown properties included', async () => {
    const definition = {
      locales: ['zh-cn'],
      pages: [{ name: 'p', innerIndent: 1, elements: [{ type: 'rating', name: 'q', rateMaxx: 5, weight1: 3 }, { name: 'stray' }] }],
    };
    const { template, warnings } = await createTemplate(handle.db, office, actor, { kind: 'other', name: '带提示的问卷', definition });
    expect(warnings.map((w) => [w.path, w.code])).toEqual([
      ['locales', 'unknown_property'],
      ['pages[0].elements[0].rateMaxx', 'unknown_property'],
      ['pages[0].elements[0].weight1', 'unknown_property'],
      ['pages[0].elements[1]', 'element_dropped'],
    ]);
    expect((await getVersion(handle.db, office, template.id, 1)).version.definition).toEqual(definition);
    const saved = await saveVersion(handle.db, office, actor, template.id, { definition: { ...definition, title: '改' } });
    expect(saved.warnings).toHaveLength(4);
    expect((await getVersion(handle.db, office, template.id, 1)).version.definition).toEqual({ ...definition, title: '改' });
  });
});

describe('compiled forms', () => {
  it('are compiled once per version and validate answers against the stored definition', async () => {
    const [builtIn] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'student-evaluation'));
    const [v] = await handle.db.select().from(templateVersions).where(eq(templateVersions.templateId, builtIn!.id));
    const form = compiledVersion(v!.id, v!.definition);
    expect(compiledVersion(v!.id, v!.definition)).toBe(form);
    const issues = validateAnswers(form, { items: { punctual: 5, clear: 9 }, overall: 6, no_punishment: 'no', extra: 1 });
    expect(Object.keys(issues).sort()).toEqual(['extra', 'items.clear', 'items.help', 'items.homework', 'items.respect', 'overall'].sort());
    expect(issues.overall).toEqual([{ key: 'answer_out_of_scale', params: { values: '1, 2, 3, 4, 5' } }]);
    const messages = translateFields('zh-CN', new ValidationError(issues))!;
    expect(messages.overall).toEqual(['超出评分范围（可选：1, 2, 3, 4, 5）。']);
    expect(messages.extra).toEqual(['问卷中没有这道题。']);
    expect(messages['items.help']).toEqual(['请回答此题。']);
  });
});
