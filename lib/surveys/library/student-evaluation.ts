/** 学生评教表: a student answers it once for each teacher of their own class (pingyiSubject: class_teachers). */
const AGREE = [
  { value: 5, text: '非常符合' },
  { value: 4, text: '比较符合' },
  { value: 3, text: '一般' },
  { value: 2, text: '不太符合' },
  { value: 1, text: '很不符合' },
];

export const studentEvaluation = {
  key: 'student-evaluation',
  kind: 'student' as const,
  name: '学生评教表',
  description: '学生对本班每位任课教师的评价（匿名，按任课安排逐一评价）。',
  definition: {
    title: '学生评教表',
    description: '请根据这学期的真实感受，为本班每位任课老师作答。问卷匿名，老师看不到是谁填写的。',
    locale: 'zh-cn',
    pingyiSubject: 'class_teachers',
    pages: [
      {
        name: 'teacher',
        elements: [
          {
            type: 'matrix',
            name: 'items',
            title: '这位老师……',
            isAllRowRequired: true,
            columns: AGREE,
            rows: [
              { value: 'punctual', text: '按时上下课，不随意调课、占课', pingyiDimension: '工作作风' },
              { value: 'clear', text: '讲课清楚，我能听懂', pingyiDimension: '教学水平' },
              { value: 'respect', text: '尊重学生，公平对待每位同学', pingyiDimension: '师德师风' },
              { value: 'homework', text: '作业量适当，批改及时认真', pingyiDimension: '教学水平' },
              { value: 'help', text: '课后愿意解答我的问题', pingyiDimension: '服务水平' },
            ],
            pingyiScores: { '5': 100, '4': 85, '3': 70, '2': 55, '1': 40 },
          },
          {
            type: 'radiogroup',
            name: 'no_punishment',
            title: '这位老师是否有体罚、变相体罚或辱骂学生的情况？',
            isRequired: true,
            choices: [
              { value: 'no', text: '没有' },
              { value: 'yes', text: '有' },
              { value: 'unknown', text: '不清楚' },
            ],
          },
          {
            type: 'rating',
            name: 'overall',
            title: '总的来说，你对这位老师的满意程度',
            isRequired: true,
            rateMin: 1,
            rateMax: 5,
            minRateDescription: '很不满意',
            maxRateDescription: '非常满意',
            pingyiDimension: '总体评价',
            pingyiScores: { '5': 100, '4': 85, '3': 70, '2': 55, '1': 40 },
          },
          { type: 'comment', name: 'comments', title: '你想对这位老师说的话（选填）', maxLength: 300, pingyiRole: 'comment' },
        ],
      },
    ],
  },
};
