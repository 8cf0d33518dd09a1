/** 学校满意度测评表: satisfaction with a school's work, for parents, teachers or the public. */
import { SATISFACTION_CHOICES as SATISFACTION, SATISFACTION_EXCLUDE, SATISFACTION_SCORES } from './choices';

export const schoolSatisfaction = {
  key: 'school-satisfaction',
  kind: 'satisfaction' as const,
  name: '学校满意度测评表',
  description: '对学校办学行为、管理服务和工作效能的满意度测评。',
  definition: {
    title: '学校满意度测评表',
    locale: 'zh-cn',
    pingyiSubject: 'school',
    pages: [
      {
        name: 'school',
        elements: [
          {
            type: 'matrix',
            name: 'items',
            title: '您对学校以下方面是否满意？',
            isAllRowRequired: true,
            columns: SATISFACTION,
            rows: [
              { value: 'management', text: '学校管理规范、校务公开', pingyiDimension: '工作作风' },
              { value: 'quality', text: '教育教学质量', pingyiDimension: '工作效能' },
              { value: 'ethics', text: '师德师风建设', pingyiDimension: '思想观念' },
              { value: 'fees', text: '规范收费、无乱收费', pingyiDimension: '工作落实' },
              { value: 'service', text: '服务态度与办事效率', pingyiDimension: '服务水平' },
              { value: 'safety', text: '校园安全与卫生', pingyiDimension: '工作落实' },
            ],
            pingyiScores: SATISFACTION_SCORES,
            pingyiExclude: SATISFACTION_EXCLUDE,
          },
          {
            type: 'radiogroup',
            name: 'overall',
            title: '总体满意度',
            isRequired: true,
            choices: SATISFACTION,
            pingyiDimension: '总体评价',
            pingyiScores: SATISFACTION_SCORES,
            pingyiExclude: SATISFACTION_EXCLUDE,
          },
          { type: 'comment', name: 'comments', title: '意见和建议', maxLength: 500, pingyiRole: 'comment' },
        ],
      },
    ],
  },
};
