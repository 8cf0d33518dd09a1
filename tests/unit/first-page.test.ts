import { describe, expect, it } from 'vitest';
import { answersFromForm, firstPageComplete, staticFirstPage } from '@/app/_components/first-page';

const page = staticFirstPage({
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'rating', name: 'score', title: '总体满意度', rateMax: 5, isRequired: true },
        { type: 'radiogroup', name: 'safe', title: '是否安全', isRequired: true, choices: [{ value: 'yes', text: '安全' }, { value: 'no', text: '不安全' }] },
        { type: 'matrix', name: 'items', title: '各项', rows: [{ value: 'ethics', text: '师德' }, { value: 'canteen', text: '食堂' }], columns: [{ value: 'good', text: '满意' }, { value: 'bad', text: '不满意' }] },
        { type: 'comment', name: 'note', title: '意见' },
      ],
    },
  ],
})!;

/** what a form's controls would answer to `elements.namedItem(name).value` */
const formWith = (fields: Record<string, string>) => (name: string) => fields[name] ?? '';

describe('the first page read back from its form', () => {
  it('gives typed choices, matrix rows and text, and leaves out what is unanswered', () => {
    expect(page).not.toBeNull();
    const answers = answersFromForm(page, formWith({ score: '4', safe: 'yes', 'items.canteen': 'bad', note: '食堂太咸' }));
    expect(answers).toEqual({ score: 4, safe: 'yes', items: { canteen: 'bad' }, note: '食堂太咸' });
    expect(firstPageComplete(page, answers)).toBe(true);
  });

  it('ignores a value that is not one of the choices (a tampered form) and empty fields', () => {
    expect(answersFromForm(page, formWith({ score: '9', safe: 'maybe', 'items.ethics': '<b>', note: '' }))).toEqual({});
    expect(firstPageComplete(page, {})).toBe(false);
  });
});
