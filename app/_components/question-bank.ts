/** Standard items for Chinese school questionnaires, inserted by the template editor. */
const SATISFACTION = [
  { value: 'satisfied', text: '满意' },
  { value: 'fair', text: '基本满意' },
  { value: 'unsatisfied', text: '不满意' },
  { value: 'unknown', text: '不了解' },
];

export const QUESTION_BANK: { label: string; element: Record<string, unknown> }[] = [
  {
    label: '满意度单选（满意/基本满意/不满意/不了解）',
    element: {
      type: 'radiogroup',
      name: 'satisfaction',
      title: '您是否满意？',
      isRequired: true,
      choices: SATISFACTION,
      pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 },
      pingyiExclude: ['unknown'],
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
      rows: ['思想观念', '工作作风', '服务水平', '工作落实', '工作效能'].map((d) => ({ value: d, text: d, pingyiDimension: d })),
      pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 },
      pingyiExclude: ['unknown'],
    },
  },
  {
    label: '等次投票（优秀/称职/基本称职/不称职）',
    element: {
      type: 'radiogroup',
      name: 'grade',
      title: '总体评价等次',
      isRequired: true,
      choices: [
        { value: 'excellent', text: '优秀' },
        { value: 'competent', text: '称职' },
        { value: 'basic', text: '基本称职' },
        { value: 'incompetent', text: '不称职' },
      ],
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
