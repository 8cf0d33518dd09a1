import { Serializer } from 'survey-core';

/**
 * Pingyi's scoring annotations, registered with survey-core's Serializer so a definition that
 * carries them is still valid SurveyJS JSON (and survey-core reports no unknown property):
 * - pingyiDimension: the dimension a question (or a matrix row) feeds, e.g. 思想观念
 * - pingyiScores: value → score map, e.g. { "satisfied": 100, "fair": 75, "unsatisfied": 55 }
 * - pingyiExclude: values that are not valid answers for scoring, e.g. ["unknown"] (不了解)
 * - pingyiReverse: a reverse-scored item (the map is mirrored)
 * - pingyiRole: 'comment' (qualitative comment) or 'grade_vote' (the 等次 vote)
 * - pingyiSubject (survey level): who the form is about: school, class_teachers, ballot, self
 */
let registered = false;

export function registerPingyiProperties(): void {
  if (registered) return;
  registered = true;
  Serializer.addProperty('question', { name: 'pingyiDimension', category: 'pingyi' });
  Serializer.addProperty('question', { name: 'pingyiScores:object', category: 'pingyi' } as never);
  Serializer.addProperty('question', { name: 'pingyiExclude:string[]', category: 'pingyi' } as never);
  Serializer.addProperty('question', { name: 'pingyiReverse:boolean', category: 'pingyi', default: false });
  Serializer.addProperty('question', { name: 'pingyiRole', category: 'pingyi', choices: ['', 'comment', 'grade_vote'] });
  Serializer.addProperty('itemvalue', { name: 'pingyiDimension', category: 'pingyi' });
  Serializer.addProperty('survey', { name: 'pingyiSubject', category: 'pingyi', choices: ['', 'school', 'class_teachers', 'ballot', 'self'] });
}
