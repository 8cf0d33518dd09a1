// Validating a 30-question submission with the compiled form (compiled once, cached per version)
// against constructing a survey-core Model per request and running its validate() — what a server
// would do without the compiled form (and which still misses out-of-scale values). Median after warm-up.
import { Model } from 'survey-core';
import { compileDefinition } from '@/lib/surveys/compile';
import { registerPingyiProperties } from '@/lib/surveys/properties';
import { validateAnswers } from '@/lib/surveys/validate';
import { machine } from './harness';

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
