import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from '@/lib/surveys/compile';
import { validateAnswers } from '@/lib/surveys/validate';

/** One question of every kind the validator knows, with its valid values. */
const FORM = compileDefinition({
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'rating', name: 'rate5', rateMin: 1, rateMax: 5, isRequired: true },
        { type: 'rating', name: 'nps', rateMin: 0, rateMax: 10, rateCount: 11 },
        { type: 'radiogroup', name: 'radio', choices: ['a', 'b', 'c'], hasOther: true },
        { type: 'dropdown', name: 'drop', choices: [{ value: 1, text: '一' }, { value: 2, text: '二' }] },
        { type: 'checkbox', name: 'check', choices: ['x', 'y', 'z'], maxSelectedChoices: 2, showNoneItem: true },
        { type: 'ranking', name: 'rank', choices: ['r1', 'r2', 'r3'] },
        { type: 'boolean', name: 'bool' },
        { type: 'text', name: 'age', inputType: 'number', min: 6, max: 18 },
        { type: 'text', name: 'short', maxLength: 10 },
        { type: 'comment', name: 'comment', maxLength: 50 },
        { type: 'matrix', name: 'grid', rows: ['r1', 'r2'], columns: ['c1', 'c2', 'c3'], isAllRowRequired: true },
        {
          type: 'matrixdropdown',
          name: 'md',
          rows: ['math', 'art'],
          columns: [
            { name: 'score', cellType: 'rating', rateMax: 3 },
            { name: 'level', cellType: 'dropdown', choices: ['low', 'high'] },
          ],
        },
        { type: 'matrixdynamic', name: 'kids', columns: [{ name: 'grade', cellType: 'dropdown', choices: ['1', '2'] }], maxRowCount: 3 },
        { type: 'paneldynamic', name: 'panels', templateElements: [{ type: 'text', name: 'who', isRequired: true }], maxPanelCount: 2 },
        { type: 'multipletext', name: 'mt', items: [{ name: 'first' }, { name: 'n', inputType: 'number' }] },
        { type: 'file', name: 'upload' },
        { type: 'html', name: 'note', html: '<p>说明</p>' },
        { type: 'text', name: 'why', visibleIf: '{rate5} < 3', isRequired: true },
      ],
    },
  ],
});

const VALID: Record<string, fc.Arbitrary<unknown>> = {
  nps: fc.integer({ min: 0, max: 10 }),
  radio: fc.constantFrom('a', 'b', 'c'),
  drop: fc.constantFrom(1, 2),
  check: fc.subarray(['x', 'y', 'z'], { minLength: 1, maxLength: 2 }),
  rank: fc.shuffledSubarray(['r1', 'r2', 'r3'], { minLength: 3, maxLength: 3 }),
  bool: fc.boolean(),
  age: fc.integer({ min: 6, max: 18 }),
  short: fc.string({ maxLength: 10 }).filter((s) => s !== ''),
  comment: fc.string({ minLength: 1, maxLength: 50 }),
  md: fc.record({ math: fc.record({ score: fc.constantFrom(1, 2, 3), level: fc.constantFrom('low', 'high') }) }),
  kids: fc.array(fc.record({ grade: fc.constantFrom('1', '2') }), { maxLength: 3 }),
  // survey-core counts a blank text as unanswered
  panels: fc.array(fc.record({ who: fc.string({ minLength: 1, maxLength: 5 }).filter((s) => s.trim() !== '') }), { minLength: 1, maxLength: 2 }),
  mt: fc.record({ first: fc.string({ minLength: 1, maxLength: 5 }), n: fc.integer() }),
  upload: fc.constant([{ name: 'a.png', type: 'image/png', content: 'data:,' }]),
};

/** For each question, values that must be refused, and the issue key expected at which path. */
const INVALID: Record<string, [fc.Arbitrary<unknown>, string, string?][]> = {
  rate5: [
    [fc.integer().filter((n) => n < 1 || n > 5), 'answer_out_of_scale'],
    [fc.constant({ a: 1 }), 'answer_type'],
  ],
  nps: [[fc.integer({ min: 11 }), 'answer_out_of_scale']],
  radio: [[fc.string().filter((s) => !['a', 'b', 'c', 'other', ''].includes(s)), 'answer_not_choice']],
  drop: [[fc.integer().filter((n) => n !== 1 && n !== 2), 'answer_not_choice']],
  check: [
    [fc.constant(['x', 'y', 'z']), 'answer_too_many'],
    [fc.constant(['x', 'nope']), 'answer_not_choice'],
    [fc.constant(['x', 'x']), 'answer_duplicate'],
    [fc.constant(['none', 'x']), 'answer_none_exclusive'],
    [fc.constant('x'), 'answer_type'],
  ],
  rank: [[fc.constant(['r1', 'r9']), 'answer_not_choice']],
  bool: [[fc.constantFrom('yes', 1, 0, 'true'), 'answer_type']],
  age: [
    [fc.integer().filter((n) => n < 6 || n > 18), 'answer_out_of_range'],
    [fc.constant('abc'), 'answer_not_number'],
  ],
  short: [[fc.string({ minLength: 11, maxLength: 40 }), 'answer_too_long']],
  comment: [[fc.string({ minLength: 51, maxLength: 80 }), 'answer_too_long']],
  grid: [
    [fc.constant({ r1: 'c9', r2: 'c1' }), 'answer_not_choice', 'grid.r1'],
    [fc.constant({ r1: 'c1', r2: 'c1', r3: 'c1' }), 'answer_unknown_row', 'grid.r3'],
    [fc.constant({ r1: 'c1' }), 'answer_required', 'grid.r2'],
  ],
  md: [
    [fc.constant({ math: { score: 4 } }), 'answer_out_of_scale', 'md.math.score'],
    [fc.constant({ math: { level: 'mid' } }), 'answer_not_choice', 'md.math.level'],
    [fc.constant({ math: { color: 'red' } }), 'answer_unknown_column', 'md.math.color'],
    [fc.constant({ music: { level: 'low' } }), 'answer_unknown_row', 'md.music'],
  ],
  kids: [
    [fc.constant([{ grade: '1' }, { grade: '1' }, { grade: '1' }, { grade: '2' }]), 'answer_too_many'],
    [fc.constant([{ grade: '7' }]), 'answer_not_choice', 'kids.0.grade'],
  ],
  panels: [
    [fc.constant([{}]), 'answer_required', 'panels.0.who'],
    [fc.constant([{ who: 'a', x: 1 }]), 'answer_unknown_question', 'panels.0.x'],
  ],
  mt: [[fc.constant({ n: 'x' }), 'answer_not_number', 'mt.n']],
  note: [[fc.constant('anything'), 'answer_unknown_question']],
};

// survey-core refuses to complete a form whose eachRowRequired matrix is unanswered, so "grid" is always answered
const base = { rate5: 4, grid: { r1: 'c1', r2: 'c2' } };

describe('answer validator', () => {
  it('accepts every valid combination of answers', () => {
    fc.assert(
      fc.property(fc.record(VALID, { requiredKeys: [] }), (answers) => {
        expect(validateAnswers(FORM, { ...base, ...answers })).toEqual({});
      }),
      { numRuns: 100 },
    );
  }, 300_000);

  for (const [name, cases] of Object.entries(INVALID)) {
    it(`catches each kind of invalid value for "${name}" at the right field`, () => {
      for (const [arb, key, path] of cases) {
        fc.assert(
          fc.property(arb, fc.record(VALID, { requiredKeys: [] }), (bad, others) => {
            const issues = validateAnswers(FORM, { ...base, ...others, [name]: bad });
            const at = path ?? name;
            expect(issues[at]?.map((i) => i.key), `${at} for ${JSON.stringify(bad)}`).toContain(key);
          }),
          { numRuns: 15 },
        );
      }
    }, 300_000);
  }

  it('requires visible required questions only, and refuses answers to hidden ones', () => {
    expect(validateAnswers(FORM, {})).toEqual({
      rate5: [{ key: 'answer_required' }],
      'grid.r1': [{ key: 'answer_required' }],
      'grid.r2': [{ key: 'answer_required' }],
    });
    // {rate5} < 3 shows "why", which is required
    expect(validateAnswers(FORM, { ...base, rate5: 2 })).toEqual({ why: [{ key: 'answer_required' }] });
    expect(validateAnswers(FORM, { ...base, rate5: 2, why: '太忙' })).toEqual({});
    expect(validateAnswers(FORM, { ...base, rate5: 5, why: '多余' })).toEqual({ why: [{ key: 'answer_hidden' }] });
  });

  it('rejects unknown keys, but takes the comment of an "other" choice', () => {
    expect(validateAnswers(FORM, { ...base, hacker: 1 })).toEqual({ hacker: [{ key: 'answer_unknown_question' }] });
    expect(validateAnswers(FORM, { ...base, radio: 'other', 'radio-Comment': '其他原因' })).toEqual({});
    expect(validateAnswers(FORM, { ...base, radio: 'a', 'radio-Comment': '其他原因' })).toEqual({
      'radio-Comment': [{ key: 'answer_unknown_question' }],
    });
    expect(validateAnswers(FORM, [1, 2])).toEqual({ _: [{ key: 'answer_type' }] });
  });
});

describe('validator edge cases', () => {
  const form = compileDefinition({
    elements: [
      { type: 'text', name: 'hiddenForGood', visible: false, isRequired: true },
      { type: 'rating', name: 'r' },
      { type: 'radiogroup', name: 'q', choices: ['a'], showCommentArea: true, visibleIf: '{r} > 3' },
      { type: 'matrixdropdown', name: 'm', rows: ['r1', 'r2'], columns: [{ name: 'c', cellType: 'rating', isRequired: true }] },
      { type: 'dropdown', name: 'd', choicesMin: 1, choicesMax: 4 },
    ],
  });

  it('a question hidden by "visible": false is never required', () => {
    expect(validateAnswers(form, { m: { r1: { c: 3 }, r2: { c: 2 } } })).toEqual({});
  });

  it('refuses an empty object for a scalar, a hidden question’s comment, a skipped row with a required column, and a value outside generated choices', () => {
    expect(validateAnswers(form, { r: {}, 'q-Comment': 'hi', m: { r1: { c: 3 } }, d: 9 })).toEqual({
      r: [{ key: 'answer_type' }],
      'q-Comment': [{ key: 'answer_hidden' }],
      'm.r2.c': [{ key: 'answer_required' }],
      d: [{ key: 'answer_not_choice' }],
    });
    expect(validateAnswers(form, { m: { r1: { c: 3 }, r2: { c: 2 } }, d: 4 })).toEqual({});
  });
});
