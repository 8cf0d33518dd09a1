import { FIVE_CHECKS, GRADE_CHOICES, SATISFACTION_CHOICES as SATISFACTION, SATISFACTION_EXCLUDE, SATISFACTION_SCORES } from '@/lib/surveys/library/choices';

/** Standard items for Chinese school questionnaires, inserted by the template editor. */

export const QUESTION_BANK: { label: string; element: Record<string, unknown> }[] = [
  {
    label: '满意度单选（满意/基本满意/不满意/不了解）',
    element: {
      type: 'radiogroup',
      name: 'satisfaction',
      title: '您是否满意？',
      isRequired: true,
      choices: SATISFACTION,
      pingyiScores: SATISFACTION_SCORES,
      pingyiExclude: SATISFACTION_EXCLUDE,
    },
  },
  {
    label: '“五查”矩阵',
    element: {
      type: 'matrix',
      name: 'five_checks',
      title: '“五查”评价',
      eachRowRequired: true,
      columns: SATISFACTION,
      rows: FIVE_CHECKS.map((d) => ({ value: d, text: d, pingyiDimension: d })),
      pingyiScores: SATISFACTION_SCORES,
      pingyiExclude: SATISFACTION_EXCLUDE,
    },
  },
  {
    label: '等次投票（优秀/称职/基本称职/不称职）',
    element: {
      type: 'radiogroup',
      name: 'grade',
      title: '总体评价等次',
      isRequired: true,
      choices: GRADE_CHOICES,
      pingyiRole: 'grade_vote',
    },
  },
  { label: '五级评分（1–5）', element: { type: 'rating', name: 'rating', title: '请评分', rateMin: 1, rateMax: 5, isRequired: true } },
  {
    label: '是/否/不清楚（师德问题）',
    element: {
      type: 'radiogroup',
      name: 'conduct',
      title: '是否存在此类问题？',
      choices: [
        { value: 'no', text: '没有' },
        { value: 'yes', text: '有' },
        { value: 'unknown', text: '不清楚' },
      ],
    },
  },
  { label: '意见和建议', element: { type: 'comment', name: 'comments', title: '意见和建议', maxLength: 500, pingyiRole: 'comment' } },
];
