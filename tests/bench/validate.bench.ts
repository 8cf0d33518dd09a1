// Validating a 30-question submission with the compiled form (compiled once, cached per version: the
// survey-core Model it keeps is loaded with each submission to decide visibility and requiredness,
// and the value domains are checked beside it) against constructing a survey-core Model per request
// and running its validate() (which still misses out-of-scale values). Then the largest definition
// of the SurveyJS corpus (tests/fixtures/surveyjs-corpus) with answers survey-core itself produced.
// Medians after warm-up.
import { Model } from 'survey-core';
import { compileDefinition } from '@/lib/surveys/compile';
import { registerPingyiProperties } from '@/lib/surveys/properties';
import { validateAnswers } from '@/lib/surveys/validate';
import { machine } from './harness';
import { CORPUS } from '../helpers/surveyjs-corpus';
import { completeWithSurveyCore } from '../helpers/surveyjs-answers';

registerPingyiProperties();
const SAT = [
  { value: 'satisfied', text: '满意' },
  { value: 'fair', text: '基本满意' },
  { value: 'unsatisfied', text: '不满意' },
  { value: 'unknown', text: '不了解' },
];
const elements: Record<string, unknown>[] = [];
const data: Record<string, unknown> = {};
for (let i = 0; i < 30; i++) {
  const name = `q${i}`;
  const [element, value] = [
    [{ type: 'rating', name, rateMax: 5, isRequired: true }, 4],
    [{ type: 'radiogroup', name, choices: SAT, isRequired: true, pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 } }, 'fair'],
    [{ type: 'matrix', name, rows: ['a', 'b', 'c', 'd', 'e'], columns: SAT, eachRowRequired: true }, { a: 'satisfied', b: 'fair', c: 'satisfied', d: 'unknown', e: 'fair' }],
    [{ type: 'checkbox', name, choices: ['x', 'y', 'z'], visibleIf: '{q0} > 2' }, ['x', 'z']],
    [{ type: 'comment', name, maxLength: 500 }, '希望学校多组织课外活动，加强家校沟通。'],
  ][i % 5] as [Record<string, unknown>, unknown];
  elements.push(element);
  data[name] = value;
}
const definition = { pages: [{ name: 'p1', elements }] };

function median(fn: () => void, runs: number): number {
  for (let i = 0; i < Math.min(200, runs); i++) fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const form = compileDefinition(definition);
if (Object.keys(validateAnswers(form, data)).length) throw new Error('the benchmark submission should be valid');
const RUNS = Number(process.env.BENCH_RUNS ?? 5000);
const compiled = median(() => validateAnswers(form, data), RUNS);
const perRequest = median(() => {
  const model = new Model(definition);
  model.data = data;
  model.validate(false);
}, Math.min(300, Math.max(30, Math.round(RUNS / 16))));
const line = (metric: string, value: number, baseline: number | null) =>
  console.log(JSON.stringify({ bench: 'validate', metric, value: Math.round(value * 10000) / 10000, unit: 'ms', baseline: baseline === null ? null : Math.round(baseline * 10000) / 10000, ratio: baseline ? Math.round((value / baseline) * 10000) / 10000 : null, db: 'none', machine }));
line('validate_30_questions_median_ms', compiled, perRequest);
line('model_per_request_median_ms', perRequest, null);

// the corpus form with the most questions, answered by survey-core itself (20 different respondents)
const largest = CORPUS.map((c) => ({ ...c, form: compileDefinition(c.definition) })).sort((a, b) => b.form.fields.length - a.form.fields.length)[0]!;
const answers = Array.from({ length: 20 }, (_, i) => completeWithSurveyCore(largest.definition, i + 1).data);
for (const a of answers) if (Object.keys(validateAnswers(largest.form, a)).length) throw new Error(`the corpus answers for ${largest.file} should be valid`);
let n = 0;
const corpus = median(() => validateAnswers(largest.form, answers[n++ % answers.length]), Math.min(2000, RUNS));
console.log(
  JSON.stringify({ bench: 'validate', metric: 'validate_largest_corpus_form_median_ms', value: Math.round(corpus * 10000) / 10000, unit: 'ms', form: largest.file, questions: largest.form.fields.length, baseline: null, ratio: null, db: 'none', machine }),
);
