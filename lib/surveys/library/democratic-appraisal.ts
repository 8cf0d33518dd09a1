/**
 * 民主评议表: the 五查 dimensions on 满意/基本满意/不满意/不了解, an overall 等次 vote and comments,
 * answered for each person or unit on the ballot list (pingyiSubject: ballot).
 */
import { GRADE_CHOICES, SATISFACTION_CHOICES as SATISFACTION, SATISFACTION_EXCLUDE, SATISFACTION_SCORES } from './choices';

export const democraticAppraisal = {
  key: 'democratic-appraisal',
  kind: 'appraisal' as const,
  name: '民主评议表',
  description: '评议代表对被评议人（或单位）的“五查”评价、等次投票与意见建议。',
  definition: {
    title: '民主评议表',
    description: '请对名单中的每一位被评议人作出评价。本表不记名，请客观公正地填写。',
    locale: 'zh-cn',
    pingyiSubject: 'ballot',
    pages: [
      {
        name: 'appraisal',
        elements: [
          {
            type: 'matrix',
            name: 'five_checks',
            title: '“五查”评价',
            isAllRowRequired: true,
            columns: SATISFACTION,
            rows: [
              { value: 'ideas', text: '思想观念', pingyiDimension: '思想观念' },
              { value: 'style', text: '工作作风', pingyiDimension: '工作作风' },
              { value: 'service', text: '服务水平', pingyiDimension: '服务水平' },
              { value: 'delivery', text: '工作落实', pingyiDimension: '工作落实' },
              { value: 'efficiency', text: '工作效能', pingyiDimension: '工作效能' },
            ],
            pingyiScores: SATISFACTION_SCORES,
            pingyiExclude: SATISFACTION_EXCLUDE,
          },
          {
            type: 'radiogroup',
            name: 'grade',
            title: '总体评价等次',
            isRequired: true,
            colCount: 4,
            choices: GRADE_CHOICES,
            pingyiRole: 'grade_vote',
            pingyiScores: { excellent: 100, competent: 85, basic: 70, incompetent: 55 },
          },
          { type: 'comment', name: 'comments', title: '意见和建议', maxLength: 500, pingyiRole: 'comment' },
        ],
      },
    ],
  },
};
