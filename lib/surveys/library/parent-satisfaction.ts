/** 家长满意度问卷: the built-in parent questionnaire (satisfaction scheme from DESIGN.md: 100 / 75 / 55, 不了解 excluded). */
import { SATISFACTION_CHOICES, SATISFACTION_SCORES } from './choices';


const YES_NO = [
  { value: 'no', text: '没有' },
  { value: 'yes', text: '有' },
  { value: 'unknown', text: '不清楚' },
];

export const parentSatisfaction = {
  key: 'parent-satisfaction',
  kind: 'parent' as const,
  name: '家长满意度问卷',
  description: '家长对学校办学、师德师风、教育教学和服务的满意度测评（匿名）。',
  definition: {
    title: '家长满意度问卷',
    description: '本问卷匿名填写，结果仅以汇总形式使用。请根据您和孩子的实际感受作答。',
    locale: 'zh-cn',
    pingyiSubject: 'school',
    showQuestionNumbers: 'on',
    pages: [
      {
        name: 'satisfaction',
        elements: [
          {
            type: 'radiogroup',
            name: 'overall',
            title: '您对学校的总体工作是否满意？',
            isRequired: true,
            choices: SATISFACTION_CHOICES,
            pingyiDimension: '总体评价',
            pingyiScores: SATISFACTION_SCORES,
            pingyiExclude: ['unknown'],
          },
          {
            type: 'matrix',
            name: 'items',
            title: '请对以下方面作出评价',
            eachRowRequired: true,
            columns: SATISFACTION_CHOICES,
            rows: [
              { value: 'ethics', text: '教师师德师风', pingyiDimension: '师德师风' },
              { value: 'teaching', text: '课堂教学质量', pingyiDimension: '教育教学' },
              { value: 'head_teacher', text: '班主任工作', pingyiDimension: '教育教学' },
              { value: 'communication', text: '家校沟通', pingyiDimension: '服务水平' },
              { value: 'homework', text: '作业量合理、批改及时', pingyiDimension: '教育教学' },
              { value: 'safety', text: '校园安全', pingyiDimension: '服务水平' },
              { value: 'canteen', text: '食堂与后勤服务', pingyiDimension: '服务水平' },
            ],
            pingyiScores: SATISFACTION_SCORES,
            pingyiExclude: ['unknown'],
          },
        ],
      },
      {
        name: 'conduct',
        elements: [
          { type: 'radiogroup', name: 'gifts', title: '教师是否有收受家长礼品礼金的情况？', isRequired: true, choices: YES_NO },
          { type: 'radiogroup', name: 'paid_tutoring', title: '教师是否有有偿补课的情况？', isRequired: true, choices: YES_NO },
          { type: 'radiogroup', name: 'corporal_punishment', title: '教师是否有体罚或变相体罚学生的情况？', isRequired: true, choices: YES_NO },
          {
            type: 'comment',
            name: 'comments',
            title: '您对学校工作的意见和建议',
            maxLength: 500,
            pingyiRole: 'comment',
          },
        ],
      },
    ],
  },
};
