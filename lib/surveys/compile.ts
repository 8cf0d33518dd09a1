import { ConditionRunner, Model, type Question } from 'survey-core';
import { scoredQuestions, type ScoredQuestion } from './annotations';
import { registerPingyiProperties } from './properties';

/**
 * A definition compiled once into plain field specs, so validating a submission needs no SurveyJS
 * model: survey-core reads the JSON (v1 property names, defaults, generated rating scales) and we
 * keep only what validation needs. Pure: no database, no React.
 */
// survey-core's question classes each expose their own properties (rows, rateValues, template…)
// that its typings do not share: read them loosely here, and only here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SurveyObject = Record<string, any>;
type SurveyQuestion = Question & SurveyObject;

export type FieldKind =
  | 'text'
  | 'number'
  | 'comment'
  | 'single' // radiogroup, dropdown, imagepicker
  | 'multi' // checkbox, tagbox
  | 'ranking'
  | 'rating'
  | 'boolean'
  | 'matrix'
  | 'matrixdropdown'
  | 'matrixdynamic'
  | 'multipletext'
  | 'paneldynamic'
  | 'passive' // expression: computed on the client, any scalar
  | 'unscored' // file, signaturepad: accepted, not scored
  | 'display'; // html, image: no value

export interface Field {
  name: string;
  type: string;
  kind: FieldKind;
  required: boolean;
  visibleIf: ConditionRunner[];
  requiredIf?: ConditionRunner;
  /** allowed values; null when choices come from elsewhere (a URL or another question) */
  choices?: Set<string> | null;
  otherValue?: string;
  noneValue?: string;
  commentAllowed?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  minSelected?: number;
  maxSelected?: number;
  rows?: Set<string>;
  eachRowRequired?: boolean;
  columns?: Map<string, Field>;
  columnValues?: Set<string>;
  items?: Map<string, Field>;
  template?: Field[];
  booleanValues?: [unknown, unknown];
  minRows?: number;
  maxRows?: number;
}

export interface CompiledForm {
  fields: Field[];
  byName: Map<string, Field>;
  /** the scoring annotations, for turning answers into facts */
  scored: ScoredQuestion[];
}

/** Text limits we hold every answer to, whatever the definition says (the body limit is 1 MB). */
export const TEXT_LIMIT = 2000;
export const COMMENT_LIMIT = 5000;

const str = (v: unknown) => String(v);

const NEVER = new ConditionRunner('false');

function conditions(q: { visibleIf?: string; parent?: unknown }): ConditionRunner[] {
  const out: ConditionRunner[] = [];
  let node: { visibleIf?: string; parent?: unknown; page?: unknown } | undefined = q;
  const seen = new Set<unknown>();
  while (node && !seen.has(node)) {
    seen.add(node);
    if (node.visibleIf) out.push(new ConditionRunner(node.visibleIf));
    node = (node.parent ?? node.page) as typeof node | undefined;
  }
  return out;
}

function choiceSet(q: SurveyQuestion): Set<string> | null {
  if (q.choicesByUrl?.url || q.choicesFromQuestion) return null;
  const values = new Set<string>((q.choices ?? []).map((c: { value: unknown }) => str(c.value)));
  // a dropdown may generate numeric choices from choicesMin/choicesMax/choicesStep
  if (q.choicesMax > q.choicesMin || (q.choicesMax && !values.size)) {
    const step = q.choicesStep > 0 ? q.choicesStep : 1;
    for (let v = Number(q.choicesMin ?? 0); v <= Number(q.choicesMax); v += step) values.add(str(v));
  }
  return values;
}

function compileQuestion(q: SurveyQuestion, nested = false): Field {
  const type = q.getType();
  const base: Field = {
    name: q.name,
    type,
    kind: 'text',
    // conditions inside a dynamic panel refer to {panel.x}; without them, a conditional question
    // there is treated as optional rather than wrongly required
    required: Boolean(q.isRequired) && !(nested && q.visibleIf),
    visibleIf: nested ? [] : conditions(q),
    requiredIf: q.requiredIf ? new ConditionRunner(q.requiredIf) : undefined,
    commentAllowed: Boolean(q.showCommentArea ?? q.hasComment),
  };
  switch (type) {
    case 'text': {
      const numeric = q.inputType === 'number' || q.inputType === 'range';
      const min = numeric && q.min !== undefined && q.min !== '' ? Number(q.min) : undefined;
      const max = numeric && q.max !== undefined && q.max !== '' ? Number(q.max) : undefined;
      return { ...base, kind: numeric ? 'number' : 'text', min, max, maxLength: Math.min(q.maxLength > 0 ? q.maxLength : TEXT_LIMIT, TEXT_LIMIT) };
    }
    case 'comment':
      return { ...base, kind: 'comment', maxLength: Math.min(q.maxLength > 0 ? q.maxLength : COMMENT_LIMIT, COMMENT_LIMIT) };
    case 'radiogroup':
    case 'dropdown':
    case 'imagepicker': {
      if (type === 'imagepicker' && q.multiSelect) return { ...base, kind: 'multi', choices: choiceSet(q) };
      return {
        ...base,
        kind: 'single',
        choices: choiceSet(q),
        otherValue: q.showOtherItem || q.hasOther ? str(q.otherItem?.value ?? 'other') : undefined,
        noneValue: q.showNoneItem || q.hasNone ? str(q.noneItem?.value ?? 'none') : undefined,
      };
    }
    case 'checkbox':
    case 'tagbox':
      return {
        ...base,
        kind: 'multi',
        choices: choiceSet(q),
        otherValue: q.showOtherItem || q.hasOther ? str(q.otherItem?.value ?? 'other') : undefined,
        noneValue: q.showNoneItem || q.hasNone ? str(q.noneItem?.value ?? 'none') : undefined,
        minSelected: q.minSelectedChoices || undefined,
        maxSelected: q.maxSelectedChoices || undefined,
      };
    case 'ranking':
      return { ...base, kind: 'ranking', choices: choiceSet(q) };
    case 'rating':
      return { ...base, kind: 'rating', choices: new Set((q.visibleRateValues ?? q.rateValues ?? []).map((v: { value: unknown }) => str(v.value))) };
    case 'boolean':
      return { ...base, kind: 'boolean', booleanValues: [q.valueTrue ?? true, q.valueFalse ?? false] };
    case 'matrix':
      return {
        ...base,
        kind: 'matrix',
        rows: new Set(q.rows.map((r: { value: unknown }) => str(r.value))),
        columnValues: new Set(q.columns.map((c: { value: unknown }) => str(c.value))),
        eachRowRequired: Boolean(q.eachRowRequired ?? q.isAllRowRequired),
      };
    case 'matrixdropdown':
    case 'matrixdynamic': {
      const columns = new Map<string, Field>();
      const matrixChoices = new Set(((q.choices ?? []) as { value: unknown }[]).map((c) => str(c.value)));
      for (const col of q.columns as SurveyObject[]) {
        // each column carries a template question of its cell type: compile it like any question
        const cell = compileQuestion(col.templateQuestion as SurveyQuestion, true);
        cell.name = col.name;
        cell.required = Boolean(col.isRequired);
        if ((cell.kind === 'single' || cell.kind === 'multi') && cell.choices?.size === 0) cell.choices = matrixChoices.size ? matrixChoices : null;
        columns.set(col.name, cell);
      }
      if (type === 'matrixdropdown') return { ...base, kind: 'matrixdropdown', rows: new Set(q.rows.map((r: { value: unknown }) => str(r.value))), columns };
      return { ...base, kind: 'matrixdynamic', columns, minRows: q.minRowCount || 0, maxRows: q.maxRowCount || 1000 };
    }
    case 'multipletext': {
      const items = new Map<string, Field>();
      for (const item of q.items as SurveyObject[]) {
        const numeric = item.inputType === 'number';
        items.set(item.name, { name: item.name, type: 'text', kind: numeric ? 'number' : 'text', required: Boolean(item.isRequired), visibleIf: [], maxLength: TEXT_LIMIT });
      }
      return { ...base, kind: 'multipletext', items };
    }
    case 'paneldynamic':
      return {
        ...base,
        kind: 'paneldynamic',
        template: (q.template?.questions ?? []).map((t: Question) => compileQuestion(t as SurveyQuestion, true)),
        minRows: q.minPanelCount || 0,
        maxRows: q.maxPanelCount || 100,
      };
    case 'expression':
      return { ...base, kind: 'passive', required: false };
    case 'html':
    case 'image':
      return { ...base, kind: 'display', required: false };
    default:
      // file, signaturepad and any custom type: accepted and not scored
      return { ...base, kind: 'unscored' };
  }
}

/** Compiles a definition; throws if survey-core cannot read it (check it with checkDefinition first). */
/**
 * Names of questions hidden for good by "visible": false on themselves or a panel or page around
 * them, read from the JSON (the model's own `visible` already reflects visibleIf at load time).
 */
function staticallyHidden(definition: unknown, hidden = new Set<string>(), inherited = false): Set<string> {
  if (Array.isArray(definition)) for (const d of definition) staticallyHidden(d, hidden, inherited);
  else if (definition && typeof definition === 'object') {
    const node = definition as SurveyObject;
    const off = inherited || node.visible === false;
    if (off && typeof node.name === 'string' && typeof node.type === 'string') hidden.add(node.name);
    for (const key of ['pages', 'elements', 'templateElements']) if (node[key]) staticallyHidden(node[key], hidden, off);
  }
  return hidden;
}

export function compileDefinition(definition: Record<string, unknown>): CompiledForm {
  registerPingyiProperties();
  const model = new Model(definition);
  const hidden = staticallyHidden(definition);
  const fields = model.getAllQuestions(false).map((q) => {
    const f = compileQuestion(q as SurveyQuestion);
    if (hidden.has(f.name)) f.visibleIf.push(NEVER);
    return f;
  });
  return { fields, byName: new Map(fields.map((f) => [f.name, f])), scored: scoredQuestions(definition) };
}

const cache = new Map<string, CompiledForm>();
const CACHE_LIMIT = 200;

/** The compiled form of an immutable template version, compiled once per process. */
export function compiledVersion(versionId: string, definition: Record<string, unknown>): CompiledForm {
  let hit = cache.get(versionId);
  if (!hit) {
    hit = compileDefinition(definition);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(versionId, hit);
  }
  return hit;
}
