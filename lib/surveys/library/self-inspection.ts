/** 教职工六查六看自评表: each staff member's self-inspection on the six checks (pingyiSubject: self). */
const LEVELS = [
  { value: 'good', text: '好' },
  { value: 'fairly_good', text: '较好' },
  { value: 'average', text: '一般' },
  { value: 'poor', text: '差' },
];

export const selfInspection = {
  key: 'self-inspection',
  kind: 'self_inspection' as const,
  name: '教职工六查六看自评表',
  description: '“六查六看”自查自评：精神状态、执行落实、教学/服务态度、工作效率、法治观念、自身素质。',
  definition: {
    title: '教职工“六查六看”自评表',
    locale: 'zh-cn',
    pingyiSubject: 'self',
    pages: [
      {
        name: 'checks',
        elements: [
          {
            type: 'matrix',
            name: 'six_checks',
            title: '自评',
            isAllRowRequired: true,
            columns: LEVELS,
            rows: [
              { value: 'spirit', text: '查精神状态，看是否积极进取', pingyiDimension: '精神状态' },
              { value: 'execution', text: '查执行落实，看是否雷厉风行', pingyiDimension: '执行落实' },
              { value: 'attitude', text: '查教学/服务态度，看是否热情周到', pingyiDimension: '教学/服务态度' },
              { value: 'efficiency', text: '查工作效率，看是否高效快捷', pingyiDimension: '工作效率' },
              { value: 'law', text: '查法治观念，看是否依法执教', pingyiDimension: '法治观念' },
              { value: 'quality', text: '查自身素质，看是否胜任岗位', pingyiDimension: '自身素质' },
            ],
            pingyiScores: { good: 100, fairly_good: 85, average: 70, poor: 55 },
          },
          { type: 'comment', name: 'problems', title: '查找出的主要问题', isRequired: true, maxLength: 1000, pingyiRole: 'comment' },
          { type: 'comment', name: 'measures', title: '整改措施和公开承诺', isRequired: true, maxLength: 1000, pingyiRole: 'comment' },
        ],
      },
    ],
  },
};
