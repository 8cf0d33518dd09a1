import { Model, type Question } from 'survey-core';
import { registerPingyiProperties } from './properties';

/** A problem in a SurveyJS definition, with the JSON path where it is. */
export interface DefinitionIssue {
  path: string;
  /** catalogue key under errors.definition */
  code: string;
  params?: Record<string, string | number>;
}

export interface QuestionSummary {
  name: string;
  type: string;
  title: string;
  /** has a value→score map (or is a rating scale): feeds quantitative scores */
  scored: boolean;
  dimension: string | null;
  role: string | null;
}

const SCORABLE = new Set(['rating', 'radiogroup', 'dropdown', 'matrix', 'boolean', 'imagepicker']);

/** The JSON path of the first object inside a definition that matches, e.g. pages[0].elements[2]. */
function pathOf(root: unknown, target: unknown | ((node: Record<string, unknown>) => boolean)): string {
  const hit = (node: unknown) =>
    typeof target === 'function' ? Boolean(node && typeof node === 'object' && (target as (n: Record<string, unknown>) => boolean)(node as Record<string, unknown>)) : node === target;
  const walk = (node: unknown, path: string): string | null => {
    if (hit(node)) return path;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const p = walk(node[i], `${path}[${i}]`);
        if (p) return p;
      }
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v !== 'object') continue;
        const p = walk(v, path ? `${path}.${k}` : k);
        if (p) return p;
      }
    }
    return null;
  };
  return walk(root, '') ?? '';
}

/**
 * Checks that a definition is SurveyJS JSON survey-core can read without complaint (unknown
 * properties, wrong types, unknown question types), and that Pingyi's scoring annotations are
 * consistent: score maps and excluded values name real choices. Pure: no database.
 */
export function checkDefinition(definition: unknown): { issues: DefinitionIssue[]; questions: QuestionSummary[] } {
  registerPingyiProperties();
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return { issues: [{ path: '', code: 'not_object' }], questions: [] };
  const issues: DefinitionIssue[] = [];
  const model = new Model(definition);
  for (const e of model.jsonErrors ?? []) {
    const at = pathOf(definition, (e as { jsonObj?: unknown }).jsonObj);
    const prop = (e as { propertyName?: string }).propertyName;
    issues.push({ path: [at, prop].filter(Boolean).join('.'), code: 'survey_error', params: { message: e.message } });
  }
  const all = model.getAllQuestions(false) as (Question & Record<string, unknown>)[];
  if (!all.length) issues.push({ path: 'pages', code: 'no_questions' });
  const seen = new Set<string>();
  const questions: QuestionSummary[] = [];
  for (const q of all) {
    const at = pathOf(definition, (n: Record<string, unknown>) => n.name === q.name && typeof n.type === 'string') || q.name;
    if (seen.has(q.name)) issues.push({ path: at, code: 'duplicate_name', params: { name: q.name } });
    // answers are keyed by question name; a valueName would store them elsewhere
    if (q.valueName) issues.push({ path: at, code: 'value_name', params: { name: q.name } });
    seen.add(q.name);
    const scores = q.pingyiScores as Record<string, unknown> | undefined;
    const type = q.getType();
    const values = new Set<string>(
      (type === 'matrix'
        ? (q.columns as { value: unknown }[])
        : type === 'rating'
          ? (q.visibleRateValues as { value: unknown }[])
          : ((q.choices as { value: unknown }[] | undefined) ?? [])
      ).map((c) => String(c.value)),
    );
    if (type === 'boolean') ['true', 'false'].forEach((v) => values.add(v));
    if (scores !== undefined) {
      if (typeof scores !== 'object' || scores === null || Array.isArray(scores) || Object.values(scores).some((s) => typeof s !== 'number' || !Number.isFinite(s))) {
        issues.push({ path: at, code: 'bad_scores', params: { name: q.name } });
      } else {
        for (const v of Object.keys(scores)) if (!values.has(v)) issues.push({ path: at, code: 'score_not_choice', params: { name: q.name, value: v } });
      }
    }
    for (const v of (q.pingyiExclude as string[] | undefined) ?? []) if (!values.has(String(v))) issues.push({ path: at, code: 'exclude_not_choice', params: { name: q.name, value: v } });
    questions.push({
      name: q.name,
      type,
      title: q.title,
      scored: SCORABLE.has(type) && (scores !== undefined || type === 'rating'),
      dimension: (q.pingyiDimension as string | undefined) ?? null,
      role: (q.pingyiRole as string | undefined) || null,
    });
  }
  return { issues, questions };
}
