import { describe, expect, it } from 'vitest';
import { checkDefinition } from '@/lib/surveys/definition';
import { BUILT_IN_TEMPLATES } from '@/lib/surveys/library';

describe('built-in template library', () => {
  it.each(BUILT_IN_TEMPLATES.map((t) => [t.name, t] as const))('%s is clean SurveyJS JSON with consistent annotations', (_name, t) => {
    const { errors: issues, questions } = checkDefinition(t.definition);
    expect(issues).toEqual([]);
    expect(questions.some((q) => q.scored)).toBe(true);
  });

  it('the 民主评议表 carries the 五查, the 等次 vote and comments', () => {
    const t = BUILT_IN_TEMPLATES.find((x) => x.key === 'democratic-appraisal')!;
    const { questions } = checkDefinition(t.definition);
    expect(questions.map((q) => [q.name, q.role])).toEqual([
      ['five_checks', null],
      ['grade', 'grade_vote'],
      ['comments', 'comment'],
    ]);
    const rows = (t.definition.pages[0]!.elements[0] as { rows: { pingyiDimension: string }[] }).rows.map((r) => r.pingyiDimension);
    expect(rows).toEqual(['思想观念', '工作作风', '服务水平', '工作落实', '工作效能']);
  });
});

describe('importing any SurveyJS definition', () => {
  it('accepts a varied real-world definition, v1 property names included, and marks what is scored', () => {
    const { errors: issues, questions } = checkDefinition({
      title: '家校共育调查',
      pages: [
        {
          name: 'p1',
          elements: [
            { type: 'rating', name: 'nps', title: '推荐意愿', rateMin: 0, rateMax: 10 },
            { type: 'matrix', name: 'm', isAllRowRequired: true, rows: ['a', 'b'], columns: ['1', '2', '3'], pingyiScores: { '1': 0, '2': 50, '3': 100 } },
            { type: 'radiogroup', name: 'r', hasOther: true, choices: ['是', '否'], pingyiScores: { 是: 100, 否: 0 } },
            { type: 'checkbox', name: 'c', choices: ['x', 'y'], hasNone: true },
            { type: 'ranking', name: 'rk', choices: ['x', 'y'] },
            { type: 'boolean', name: 'b', visibleIf: '{nps} > 8' },
            { type: 'matrixdropdown', name: 'md', rows: ['r'], columns: [{ name: 'c', cellType: 'text' }] },
            { type: 'matrixdynamic', name: 'dyn', columns: [{ name: 'c' }] },
            { type: 'paneldynamic', name: 'pd', templateElements: [{ type: 'text', name: 't' }] },
            { type: 'file', name: 'f' },
            { type: 'signaturepad', name: 'sig' },
            { type: 'html', name: 'h', html: '<b>谢谢</b>' },
          ],
        },
      ],
    });
    expect(issues).toEqual([]);
    const scored = Object.fromEntries(questions.map((q) => [q.name, q.scored]));
    expect(scored).toMatchObject({ nps: true, m: true, r: true, c: false, f: false, sig: false, h: false });
  });

  it('refuses only what cannot be run or scored; warns about what survey-core tolerates, with paths', () => {
    const { errors, warnings } = checkDefinition({
      locales: ['en', 'de'],
      pages: [
        {
          name: 'p1',
          elements: [
            { type: 'text', name: 'q1', isRequred: true },
            { type: 'radiogroup', name: 'q2', choices: ['a', 'b'], pingyiScores: { a: 1, z: 2 }, pingyiExclude: ['nope'] },
            { type: 'text', name: 'q1' },
            { name: 'stray' },
            { type: 'nouislider', name: 'slider' },
            { type: 'dropdown', name: 'city', choicesByUrl: { url: 'https://example.com/cities' } },
            { type: 'radiogroup', name: 'r', hasOther: true, choices: [{ value: 1, tex: 'x' }] },
          ],
        },
      ],
    });
    expect(errors.map((i) => [i.path, i.code])).toEqual([
      ['pages[0].elements[1]', 'score_not_choice'],
      ['pages[0].elements[1]', 'exclude_not_choice'],
    ]);
    expect(warnings.map((i) => [i.path, i.code])).toEqual([
      ['pages[0].elements[5].choicesByUrl', 'choices_by_url'],
      ['pages[0].elements[6].hasOther', 'obsolete_property'],
      ['locales', 'unknown_property'],
      ['pages[0].elements[0].isRequred', 'unknown_property'],
      ['pages[0].elements[3]', 'element_dropped'],
      ['pages[0].elements[4]', 'element_dropped'],
      ['pages[0].elements[6].choices[0].tex', 'unknown_property'],
      ['pages[0].elements[2]', 'shared_value'],
    ]);
    expect(checkDefinition([1, 2]).errors).toEqual([{ path: '', code: 'not_object' }]);
    expect(checkDefinition({ pages: [] }).errors.map((i) => i.code)).toEqual(['no_questions']);
  });

  it('repeated names share one value, unless a scoring annotation makes them ambiguous', () => {
    const shared = checkDefinition({ elements: [{ type: 'text', name: 'a' }, { type: 'comment', name: 'b', valueName: 'a' }] });
    expect(shared.errors).toEqual([]);
    expect(shared.warnings).toEqual([{ path: 'elements[1]', code: 'shared_value', params: { name: 'a', first: 'elements[0]' } }]);
    const scored = checkDefinition({
      elements: [
        { type: 'radiogroup', name: 'sat', choices: ['y', 'n'], pingyiScores: { y: 100, n: 0 } },
        { type: 'panel', name: 'p', elements: [{ type: 'radiogroup', name: 'sat', choices: ['y', 'n'] }] },
      ],
    });
    expect(scored.errors).toEqual([
      { path: 'elements[1].elements[0]', code: 'shared_value_scored', params: { name: 'sat', first: 'elements[0]', second: 'elements[1].elements[0]' } },
    ]);
  });
});
