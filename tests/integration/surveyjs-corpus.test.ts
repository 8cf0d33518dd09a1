/**
 * Any SurveyJS form works: 25 real definitions written by other people (tests/fixtures/surveyjs-corpus,
 * sources in SOURCES.md) are imported through the API, answered with data survey-core itself
 * produces (its Model fills the visible questions, doComplete() applies its clearing rules),
 * submitted through /api/v1/respond/{token} (201), and summarised by the results API; one value
 * out of its question's domain per question type is refused (400) naming that field.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import type { Scope } from '@/lib/auth/scope';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { classes, roundForms, teachingAssignments, templateVersions, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { listLinks, issueLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { compileDefinition } from '@/lib/surveys/compile';
import { sanitizeDefinition } from '@/lib/surveys/sanitize';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';
import { CORPUS, outOfDomain } from '../helpers/surveyjs-corpus';
import { completeWithSurveyCore } from '../helpers/surveyjs-answers';

const SUBMISSIONS = 5;
/** question types whose answers are counted and scored (free text goes to comments and keywords) */
const COUNTABLE = new Set(['rating', 'radiogroup', 'dropdown', 'imagepicker', 'boolean', 'matrix']);
let handle: DbHandle;
let office: Scope;
let cookie: string;
let schoolId: string;
const actor = { type: 'cli', label: 'corpus' } as const;
const handler = (method: string, path: string) => routeHandler(ENDPOINTS.find((e) => e.method === method && e.path === path)!);
const imported: { file: string; templateId: string; warnings: number }[] = [];
const tokens = new Map<string, string>();
const roundOf = new Map<string, string>();
const submitted = new Map<string, Record<string, unknown>[]>();
let keyN = 0;

async function api(method: string, path: string, url: string, params: Record<string, string>, body?: unknown) {
  const fn = await handler(method, path);
  const res = await fn(
    new Request(`http://localhost${url}`, {
      method: method.toUpperCase(),
      headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const respond = (token: string, answers: Record<string, unknown>) =>
  api('post', '/api/v1/respond/{token}', `/api/v1/respond/${token}`, { token }, { idempotencyKey: `corpus-key-${String(++keyN).padStart(8, '0')}`, answers: { [schoolId]: answers } });

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  office = { role: 'office', unitId: district!.id };
  schoolId = school!.id;
  const login = await handler('post', '/api/v1/session');
  const res = await login(
    new Request('http://localhost/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': '10.9.0.1' }, body: JSON.stringify(DEMO_LOGIN) }),
    { params: Promise.resolve({}) },
  );
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
}, 300_000);
afterAll(() => handle.close());

describe('the SurveyJS corpus', () => {
  it('imports every definition through the API, as written, with warnings instead of refusals', async () => {
    for (const { file, definition } of CORPUS) {
      const res = await api('post', '/api/v1/templates', '/api/v1/templates', {}, { kind: 'other', name: file.replace(/\.json$/, ''), definition });
      expect(res.status, `${file}: ${JSON.stringify(res.body)}`).toBe(201);
      const warnings = res.body.warnings as { path: string; code: string; message: string }[];
      for (const w of warnings) expect(w.message.length, `${file} ${w.code}`).toBeGreaterThan(0);
      const [v] = await handle.db.select().from(templateVersions).where(eq(templateVersions.templateId, res.body.id as string));
      // as written, but for HTML the sanitiser normalises (e.g. `</br>` becomes `<br>`): the one change allowed
      expect(v!.definition, `${file} is stored as written`).toEqual(await sanitizeDefinition(structuredClone(definition)));
      imported.push({ file, templateId: res.body.id as string, warnings: warnings.length });
    }
    const withWarnings = imported.filter((i) => i.warnings > 0).length;
    console.log(`surveyjs corpus: ${CORPUS.length} definitions, ${imported.length} imported, ${CORPUS.length - imported.length} refused, ${withWarnings} with warnings`);
    expect(imported).toHaveLength(CORPUS.length);
    // the definitions that carry what survey-core tolerates say so
    const warned = (file: string) => imported.find((i) => i.file === file)!.warnings;
    expect(warned('patient-intake-typo.json')).toBeGreaterThan(0);
    expect(warned('clinic-login-choices-by-url.json')).toBeGreaterThan(0);
    expect(warned('german-application-repeated-name.json')).toBeGreaterThan(0);
  }, 300_000);

  it('accepts every answer survey-core produces for each form, through /api/v1/respond/{token}', async () => {
    const [cls] = await handle.db.select().from(classes).where(and(eq(classes.schoolId, schoolId), eq(classes.name, '五年级(1)班')));
    const schoolYear = (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear;
    const now = Date.now();
    // a round takes at most 20 forms
    for (let start = 0; start < imported.length; start += 20) {
      const batch = imported.slice(start, start + 20);
      const round = await createRound(handle.db, office, actor, {
        title: `语料测评 ${start / 20 + 1}`,
        schoolYear,
        term: 1,
        units: ['巷道中心小学'],
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 86_400_000).toISOString(),
        raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
        forms: batch.map((b) => ({ templateId: b.templateId, raterGroup: 0, subjectMode: 'school' as const })),
      });
      await roundAction(handle.db, office, actor, round.id, { action: 'open' });
      const forms = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, round.id));
      for (const form of forms) {
        await issueLinks(handle.db, office, actor, round.id, { kind: 'class', formId: form.id });
        const [link] = (await listLinks(handle.db, office, actor, round.id, { kind: 'class', via: 'api' })).filter((l) => l.formId === form.id && l.classId === cls!.id);
        const [version] = await handle.db.select().from(templateVersions).where(eq(templateVersions.id, form.templateVersionId));
        const file = imported.find((i) => i.templateId === version!.templateId)!.file;
        tokens.set(file, link!.token);
        roundOf.set(file, round.id);
      }
    }
    let accepted = 0;
    for (const { file, definition } of CORPUS) {
      for (let seed = 1; seed <= SUBMISSIONS; seed++) {
        const { data, errors } = completeWithSurveyCore(definition, seed * 7919);
        expect(errors, `${file} seed ${seed}: survey-core itself refused the generated answers`).toEqual([]);
        const res = await respond(tokens.get(file)!, data);
        expect(res.status, `${file} seed ${seed}: ${JSON.stringify(res.body)} for ${JSON.stringify(data).slice(0, 500)}`).toBe(201);
        submitted.set(file, [...(submitted.get(file) ?? []), data]);
        accepted++;
      }
    }
    console.log(`surveyjs corpus: ${accepted} completed answers accepted, 0 refused`);
  }, 600_000);

  it('summarises every countable question of every form in the results API', async () => {
    const results = new Map<string, Set<string>>();
    for (const roundId of new Set(roundOf.values())) {
      const res = await api('get', '/api/v1/rounds/{roundId}/results', `/api/v1/rounds/${roundId}/results?level=subject&subjectId=${schoolId}`, { roundId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const items = res.body.items as { question: string; stats: unknown }[];
      results.set(roundId, new Set(items.filter((i) => i.stats !== null).map((i) => i.question)));
    }
    for (const { file, definition } of CORPUS) {
      const questions = scoredQuestions(definition);
      const countable = questions.filter((q) => COUNTABLE.has(q.type));
      const answered = new Set(submitted.get(file)!.flatMap((data) => factsFromAnswers(countable, data).map((f) => f.question)));
      const summarised = results.get(roundOf.get(file)!)!;
      for (const q of answered) expect(summarised.has(q), `${file}: ${q} is missing from the results`).toBe(true);
    }
  }, 120_000);

  it('refuses one value out of its domain per question type, naming the field', async () => {
    let refused = 0;
    for (const { file, definition } of CORPUS) {
      const form = compileDefinition(definition);
      const data = submitted.get(file)![0]!;
      for (const bad of outOfDomain(form, data)) {
        const res = await respond(tokens.get(file)!, { ...data, [bad.key]: bad.value });
        expect(res.status, `${file} ${bad.type}`).toBe(400);
        const fields = (res.body.error as { fields: Record<string, string[]> }).fields;
        expect(Object.keys(fields), `${file} ${bad.type} ${JSON.stringify(bad.value).slice(0, 60)}`).toContain(`answers.${schoolId}.${bad.path}`);
        refused++;
      }
    }
    console.log(`surveyjs corpus: ${refused} out-of-domain answers refused with their field`);
    expect(refused).toBeGreaterThan(CORPUS.length);
  }, 300_000);
});
