import { describe, expect, it } from 'vitest';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { parentSatisfaction } from '@/lib/surveys/library/parent-satisfaction';

describe('scoring annotations → answer facts', () => {
  const questions = scoredQuestions(parentSatisfaction.definition);

  it('finds every question of the built-in parent questionnaire with its annotations', () => {
    expect(questions.map((q) => q.name)).toEqual(['overall', 'items', 'gifts', 'paid_tutoring', 'corporal_punishment', 'comments']);
    const items = questions.find((q) => q.name === 'items')!;
    expect(items.rows).toHaveLength(7);
    expect(items.rows![0]).toEqual({ value: 'ethics', dimension: '师德师风', text: '教师师德师风' });
    expect(questions.find((q) => q.name === 'comments')!.role).toBe('comment');
  });

  it('scores by the value→score map, excludes 不了解 and skips unanswered questions', () => {
    // hand-computed: 满意 100, 基本满意 75, 不满意 55, 不了解 excluded (no score)
    // | question | row       | value       | score | excluded |
    // | overall  |           | fair        | 75    | no       |
    // | items    | ethics    | satisfied   | 100   | no       |
    // | items    | teaching  | unknown     | —     | yes      |
    // | items    | safety    | unsatisfied | 55    | no       |
    // | gifts    |           | no          | —     | no       |
    const facts = factsFromAnswers(questions, {
      overall: 'fair',
      items: { ethics: 'satisfied', teaching: 'unknown', safety: 'unsatisfied' },
      gifts: 'no',
    });
    expect(facts.map((f) => [f.question, f.row, f.value, f.score, f.excluded, f.dimension])).toEqual([
      ['overall', '', 'fair', 75, false, '总体评价'],
      ['items', 'ethics', 'satisfied', 100, false, '师德师风'],
      ['items', 'teaching', 'unknown', null, true, '教育教学'],
      ['items', 'safety', 'unsatisfied', 55, false, '服务水平'],
      ['gifts', '', 'no', null, false, null],
    ]);
    expect(facts.map((f) => f.itemIndex)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a comment as an unscored fact', () => {
    const facts = factsFromAnswers(questions, { comments: '希望减少作业量' });
    expect(facts).toEqual([
      { question: 'comments', row: '', dimension: null, value: '希望减少作业量', score: null, excluded: false, itemIndex: 0 },
    ]);
  });
});
