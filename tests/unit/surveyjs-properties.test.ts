/**
 * Property tests: for random definitions built from every question type with random conditions,
 * what survey-core itself produces when a respondent completes the form is always accepted, and
 * what it would not produce (an answer to a question it hides, a required answer left out, a value
 * outside a question's domain) is always refused at that field.
 */
import fc from 'fast-check';
import { Model } from 'survey-core';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '@/lib/surveys/compile';
import { validateAnswers } from '@/lib/surveys/validate';
import { completeWithSurveyCore } from '../helpers/surveyjs-answers';
import { outOfDomain } from '../helpers/surveyjs-corpus';

type El = Record<string, unknown>;
const CHOICES = ['a', 'b', 'c', 'd'];

/** One question of a random type; `prev` is an earlier question a condition may refer to. */
const question = (i: number, prev: El | undefined): fc.Arbitrary<El> => {
  const name = `q${i}`;
  const types: fc.Arbitrary<El>[] = [
    fc.record({ type: fc.constant('rating'), rateMin: fc.constantFrom(0, 1), rateMax: fc.integer({ min: 3, max: 10 }) }),
    fc.record({ type: fc.constantFrom('radiogroup', 'dropdown'), choices: fc.constant(CHOICES), showOtherItem: fc.boolean(), showNoneItem: fc.boolean() }),
    fc.record({ type: fc.constantFrom('checkbox', 'tagbox'), choices: fc.constant(CHOICES), maxSelectedChoices: fc.constantFrom(0, 2), showNoneItem: fc.boolean() }),
    fc.record({ type: fc.constant('ranking'), choices: fc.constant(CHOICES.slice(0, 3)) }),
    fc.record({ type: fc.constant('boolean') }),
    fc.record({ type: fc.constant('text'), inputType: fc.constantFrom('text', 'number', 'date'), min: fc.constant(1), max: fc.constant(99) }).map((e) => (e.inputType === 'number' ? e : { type: 'text', inputType: e.inputType })),
    fc.record({ type: fc.constant('comment'), maxLength: fc.constantFrom(0, 200) }),
    fc.record({ type: fc.constant('matrix'), rows: fc.constant(['r1', 'r2']), columns: fc.constant(['1', '2', '3']), eachRowRequired: fc.boolean() }),
    fc.record({
      type: fc.constant('matrixdropdown'),
      rows: fc.constant(['m1', 'm2']),
      columns: fc.constant([
        { name: 'score', cellType: 'rating', rateMax: 5 },
        { name: 'level', cellType: 'dropdown', choices: ['low', 'high'] },
      ]),
    }),
    fc.record({ type: fc.constant('multipletext'), items: fc.constant([{ name: 'first' }, { name: 'n', inputType: 'number' }]) }),
    fc.record({
      type: fc.constant('paneldynamic'),
      panelCount: fc.constant(1),
      templateElements: fc.constant([
        { type: 'radiogroup', name: 'pick', choices: ['x', 'y'] },
        { type: 'text', name: 'why', visibleIf: "{panel.pick} = 'y'" },
      ]),
    }),
    fc.record({ type: fc.constant('imagepicker'), choices: fc.constant([{ value: 'lion', imageLink: '/a.png' }, { value: 'panda', imageLink: '/b.png' }]) }),
    fc.record({ type: fc.constant('expression'), expression: fc.constant(prev ? `iif({${String(prev.name)}} notempty, 'yes', 'no')` : "'fixed'") }),
  ];
  const condition = prev
    ? fc.constantFrom(undefined, `{${String(prev.name)}} notempty`, `{${String(prev.name)}} empty`, prev.type === 'rating' ? `{${String(prev.name)}} > 2` : `{${String(prev.name)}} = 'a'`)
    : fc.constant(undefined);
  return fc.tuple(fc.oneof(...types), fc.boolean(), condition, fc.boolean()).map(([base, required, visibleIf, startHidden]) => {
    const el: El = { ...base, name };
    if (required && base.type !== 'expression') el.isRequired = true;
    if (visibleIf) {
      el.visibleIf = visibleIf;
      // SurveyJS Creator writes "visible": false beside a visibleIf; the condition decides
      if (startHidden) el.visible = false;
    }
    return el;
  });
};

const definition: fc.Arbitrary<{ def: El; seed: number }> = fc
  .integer({ min: 2, max: 7 })
  .chain((n) => {
    let arb: fc.Arbitrary<El[]> = fc.constant([]);
    for (let i = 0; i < n; i++) arb = arb.chain((els) => question(i, els[els.length - 1]).map((q) => [...els, q]));
    return fc.tuple(arb, fc.constantFrom('onComplete', 'onHidden', 'none'), fc.integer({ min: 1, max: 1_000_000 }));
  })
  .map(([elements, clear, seed]) => ({ def: { clearInvisibleValues: clear, pages: [{ name: 'p1', elements }] }, seed }));

describe('random SurveyJS definitions', () => {
  it('accepts what survey-core sends when it clears in one pass: q3 shown by q2, q2 hidden and cleared, q3 kept', () => {
    // found by the first property: survey-core decides what to clear on the answers before clearing
    const def = {
      clearInvisibleValues: 'onComplete',
      elements: [
        { type: 'boolean', name: 'q0' },
        { type: 'text', name: 'q1', visibleIf: '{q0} notempty' },
        { type: 'radiogroup', name: 'q2', choices: ['a', 'b'], visibleIf: '{q1} empty' },
        { type: 'boolean', name: 'q3', visibleIf: '{q2} notempty' },
        { type: 'boolean', name: 'q4', visibleIf: "{q0} = false" },
        // hidden at completion (q2 answered), visible once q2 is cleared: survey-core did not ask for it
        { type: 'text', name: 'q5', isRequired: true, visibleIf: '{q2} empty' },
      ],
    };
    const survey = new Model(structuredClone(def));
    survey.setValue('q2', 'a'); // answered while q1 was empty
    survey.setValue('q3', true); // shown by q2
    survey.setValue('q0', true);
    survey.setValue('q1', '满意'); // hides q2
    survey.doComplete();
    const sent = JSON.parse(JSON.stringify(survey.data)) as Record<string, unknown>;
    expect(sent).toEqual({ q0: true, q1: '满意', q3: true });
    const form = compileDefinition(def);
    expect(validateAnswers(form, sent)).toEqual({});
    // a hidden question whose condition reads only visible answers is still refused
    expect(validateAnswers(form, { ...sent, q4: true }).q4?.map((i) => i.key)).toEqual(['answer_hidden']);
    // and a required question whose condition reads only visible answers is still required
    const required = compileDefinition({ elements: [{ type: 'boolean', name: 'a' }, { type: 'text', name: 'b', isRequired: true, visibleIf: '{a} = true' }] });
    expect(validateAnswers(required, { a: true }).b?.map((i) => i.key)).toEqual(['answer_required']);
  });


  it('what survey-core produces for a completed form is always accepted', () => {
    fc.assert(
      fc.property(definition, ({ def, seed }) => {
        const { data, errors } = completeWithSurveyCore(def, seed);
        fc.pre(errors.length === 0);
        expect(validateAnswers(compileDefinition(def), data), JSON.stringify({ def, data })).toEqual({});
      }),
      { numRuns: Number(process.env.PINGYI_FC_RUNS ?? 60) },
    );
  }, 600_000);

  it('an answer to a question survey-core hides, a required answer left out, or a value outside its domain is refused at that field', () => {
    fc.assert(
      fc.property(definition, ({ def, seed }) => {
        const { data, errors } = completeWithSurveyCore(def, seed);
        fc.pre(errors.length === 0);
        const form = compileDefinition(def);
        const survey = new Model(structuredClone(def));
        survey.data = data;
        for (const q of survey.getAllQuestions(false)) {
          const key = q.getValueName();
          if (q.getType() === 'expression') continue;
          // survey-core clears in one pass: a question shown by an answer it then cleared keeps its value
          const reads = /\{(\w+)\}/.exec(String(q.visibleIf ?? ''))?.[1];
          const readsHidden = reads !== undefined && survey.getQuestionByName(reads)?.isVisible === false;
          if (!q.isVisible && !readsHidden && def.clearInvisibleValues !== 'none' && !(key in data)) {
            const issues = validateAnswers(form, { ...data, [key]: 'x' });
            expect(issues[key]?.map((i) => i.key), `hidden ${key} in ${JSON.stringify(def)}`).toContain('answer_hidden');
          }
          if (q.isVisible && q.isRequired && !readsHidden && key in data) {
            const rest = { ...data };
            delete rest[key];
            const issues = validateAnswers(form, rest);
            expect(Object.keys(issues).some((p) => p === key || p.startsWith(`${key}.`)), `required ${key} left out of ${JSON.stringify(data)}`).toBe(true);
          }
        }
        for (const bad of outOfDomain(form, data)) {
          const issues = validateAnswers(form, { ...data, [bad.key]: bad.value });
          expect(Object.keys(issues), `${bad.type} ${JSON.stringify(bad.value)}`).toContain(bad.path);
        }
      }),
      { numRuns: Number(process.env.PINGYI_FC_RUNS ?? 40) },
    );
  }, 600_000);

  it('on forms without logic, the plain path and survey-core give the same verdict at the same fields', () => {
    const plainQuestion = (i: number): fc.Arbitrary<El> =>
      fc
        .tuple(
          fc.oneof(
            fc.record({ type: fc.constant('rating'), rateMax: fc.integer({ min: 3, max: 10 }) }),
            fc.record({ type: fc.constantFrom('radiogroup', 'dropdown', 'checkbox', 'tagbox'), choices: fc.constant(CHOICES) }),
            fc.record({ type: fc.constant('boolean') }),
            fc.record({ type: fc.constantFrom('text', 'comment') }),
            fc.record({ type: fc.constant('matrix'), rows: fc.constant(['r1', 'r2']), columns: fc.constant(['1', '2']), eachRowRequired: fc.boolean() }),
          ),
          fc.boolean(),
        )
        .map(([base, required]) => ({ ...base, name: `q${i}`, ...(required ? { isRequired: true } : {}) }));
    const plainForm = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => plainQuestion(i))));
    fc.assert(
      fc.property(plainForm, fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 5 }), (elements, seed, drop) => {
        const def = { elements };
        const form = compileDefinition(def);
        expect(form.plain).toBe(true);
        const { data } = completeWithSurveyCore(def, seed);
        const variants = [data, Object.fromEntries(Object.entries(data).filter((_, i) => i !== drop)), ...outOfDomain(form, data).map((b) => ({ ...data, [b.key]: b.value }))];
        for (const answers of variants) {
          const plain = Object.keys(validateAnswers(form, answers)).sort();
          const full = Object.keys(validateAnswers({ ...form, plain: false }, answers)).sort();
          expect(plain, JSON.stringify({ def, answers })).toEqual(full);
        }
      }),
      { numRuns: Number(process.env.PINGYI_FC_RUNS ?? 60) },
    );
  }, 600_000);
});
