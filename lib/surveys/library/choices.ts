/** Answer scales shared by the built-in templates and the editor's question bank. */
export const SATISFACTION_CHOICES = [
  { value: 'satisfied', text: '满意' },
  { value: 'fair', text: '基本满意' },
  { value: 'unsatisfied', text: '不满意' },
  { value: 'unknown', text: '不了解' },
];

/** The published satisfaction scheme: 满意 100, 基本满意 75, 不满意 55, 不了解 excluded. */
export const SATISFACTION_SCORES = { satisfied: 100, fair: 75, unsatisfied: 55 };
export const SATISFACTION_EXCLUDE = ['unknown'];

/** The 等次 vote of a democratic appraisal ballot. */
export const GRADE_CHOICES = [
  { value: 'excellent', text: '优秀' },
  { value: 'competent', text: '称职' },
  { value: 'basic', text: '基本称职' },
  { value: 'incompetent', text: '不称职' },
];

export const FIVE_CHECKS = ['思想观念', '工作作风', '服务水平', '工作落实', '工作效能'];
