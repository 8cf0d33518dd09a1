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

/**
 * The result of checking a definition. Errors mean the form cannot be run, or its answers cannot
 * be stored or scored: it is refused. Warnings are what survey-core itself tolerates (unknown
 * properties, elements it drops, obsolete names, external URLs, shared answer names): the form is
 * imported as written and the warnings are shown.
 */
export interface DefinitionCheck {
  errors: DefinitionIssue[];
  warnings: DefinitionIssue[];
  questions: QuestionSummary[];
}

const SCORABLE = new Set(['rating', 'radiogroup', 'dropdown', 'matrix', 'boolean', 'imagepicker']);

/** v1-era property names survey-core still reads, and their current names. */
const OBSOLETE: Record<string, string> = {
  hasOther: 'showOtherItem',
  hasNone: 'showNoneItem',
  hasSelectAll: 'showSelectAllItem',
  hasComment: 'showCommentArea',
  isAllRowRequired: 'eachRowRequired',
  requiredText: 'requiredMark',
  questionsOrder: 'questionOrder',
  goNextPageAutomatic: 'autoAdvanceEnabled',
};
/** Properties whose value is an address the answering page would have to fetch from elsewhere. */
const URL_PROPERTIES = ['imageLink', 'logo', 'backgroundImage', 'navigateToUrl'];
const EXTERNAL = /^(https?:)?\/\//i;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every object of the definition with its JSON path, in document order. */
function walk(root: unknown, visit: (node: Node, path: string) => void, path = ''): void {
  if (Array.isArray(root)) root.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (isNode(root)) {
    visit(root, path);
    for (const [k, v] of Object.entries(root)) if (typeof v === 'object' && v !== null) walk(v, visit, path ? `${path}.${k}` : k);
  }
}

function readModel(definition: Node): Model | null {
  try {
    return new Model(definition);
  } catch {
    return null;
  }
}

/** Does a question carry a scoring annotation? Two such questions sharing one value are ambiguous. */
const annotated = (q: Record<string, unknown>) => q.pingyiScores !== undefined || Boolean(q.pingyiDimension) || Boolean(q.pingyiRole);

/**
 * Checks a SurveyJS definition: survey-core must be able to build it, and Pingyi's scoring
 * annotations must agree with the choices (errors); everything survey-core tolerates is reported
 * as a warning with its JSON path. Pure: no database.
 */
export function checkDefinition(definition: unknown): DefinitionCheck {
  registerPingyiProperties();
  if (!isNode(definition)) return { errors: [{ path: '', code: 'not_object' }], warnings: [], questions: [] };
  const errors: DefinitionIssue[] = [];
  const warnings: DefinitionIssue[] = [];
  // survey-core writes into the JSON it reads (defaults such as a column's cellType): it gets a
  // copy, so what the author wrote is what is saved
  const copy = structuredClone(definition);
  const model = readModel(copy);
  if (!model) return { errors: [{ path: '', code: 'unreadable' }], warnings: [], questions: [] };

  const paths = new Map<unknown, string>();
  const byName = new Map<string, string[]>();
  walk(copy, (node, path) => {
    paths.set(node, path);
    if (typeof node.name === 'string' && typeof node.type === 'string' && path) byName.set(node.name, [...(byName.get(node.name) ?? []), path]);
    for (const [old, current] of Object.entries(OBSOLETE)) if (old in node) warnings.push({ path: path ? `${path}.${old}` : old, code: 'obsolete_property', params: { name: old, current } });
    for (const p of URL_PROPERTIES) if (typeof node[p] === 'string' && EXTERNAL.test(node[p] as string)) warnings.push({ path: path ? `${path}.${p}` : p, code: 'external_url', params: { url: node[p] as string } });
    if (isNode(node.choicesByUrl) && node.choicesByUrl.url) warnings.push({ path: `${path}.choicesByUrl`, code: 'choices_by_url', params: { url: String(node.choicesByUrl.url) } });
  });

  for (const e of model.jsonErrors ?? []) {
    const err = e as { type?: string; propertyName?: string; jsonObj?: unknown; message: string };
    const at = paths.get(err.jsonObj) ?? '';
    if (err.type === 'missingtypeproperty' || err.type === 'incorrecttypeproperty') {
      warnings.push({ path: at, code: 'element_dropped', params: { message: err.message } });
    } else if (err.type === 'unknownproperty') {
      warnings.push({ path: [at, err.propertyName].filter(Boolean).join('.'), code: 'unknown_property', params: { name: err.propertyName ?? '', message: err.message } });
    } else {
      warnings.push({ path: [at, err.propertyName].filter(Boolean).join('.'), code: 'survey_warning', params: { message: err.message } });
    }
  }

  const all = model.getAllQuestions(false) as (Question & Record<string, unknown>)[];
  if (!all.length) errors.push({ path: 'pages', code: 'no_questions' });
  const occurrence = new Map<string, number>();
  const byValue = new Map<string, { q: Record<string, unknown>; path: string }[]>();
  const questions: QuestionSummary[] = [];
  for (const q of all) {
    const n = occurrence.get(q.name) ?? 0;
    occurrence.set(q.name, n + 1);
    const at = byName.get(q.name)?.[n] ?? q.name;
    const key = q.getValueName();
    byValue.set(key, [...(byValue.get(key) ?? []), { q, path: at }]);
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
    for (const special of ['otherItem', 'noneItem', 'refuseItem', 'dontKnowItem']) {
      const item = q[special] as { value?: unknown } | undefined;
      const on = { otherItem: q.showOtherItem, noneItem: q.showNoneItem, refuseItem: q.showRefuseItem, dontKnowItem: q.showDontKnowItem }[special];
      if (on && item?.value !== undefined) values.add(String(item.value));
    }
    if (scores !== undefined) {
      if (typeof scores !== 'object' || scores === null || Array.isArray(scores) || Object.values(scores).some((s) => typeof s !== 'number' || !Number.isFinite(s))) {
        errors.push({ path: at, code: 'bad_scores', params: { name: q.name } });
      } else if (!q.choicesByUrl || !(q.choicesByUrl as { url?: string }).url) {
        for (const v of Object.keys(scores)) if (!values.has(v)) errors.push({ path: at, code: 'score_not_choice', params: { name: q.name, value: v } });
      }
    }
    for (const v of (q.pingyiExclude as string[] | undefined) ?? []) if (!values.has(String(v))) errors.push({ path: at, code: 'exclude_not_choice', params: { name: q.name, value: v } });
    questions.push({
      name: q.name,
      type,
      title: q.title,
      scored: SCORABLE.has(type) && (scores !== undefined || type === 'rating'),
      dimension: (q.pingyiDimension as string | undefined) ?? null,
      role: (q.pingyiRole as string | undefined) || null,
    });
  }
  // SurveyJS lets questions share one answer (same name or valueName); that is fine until a
  // scoring annotation would count the shared answer twice or from the wrong question
  for (const [key, group] of byValue) {
    if (group.length < 2) continue;
    if (group.some((g) => annotated(g.q))) errors.push({ path: group[1]!.path, code: 'shared_value_scored', params: { name: key, first: group[0]!.path, second: group[1]!.path } });
    else warnings.push({ path: group[1]!.path, code: 'shared_value', params: { name: key, first: group[0]!.path } });
  }
  return { errors, warnings, questions };
}
