import { Model, type Question } from 'survey-core';
import { scoredQuestions, type ScoredQuestion } from './annotations';
import { registerPingyiProperties } from './properties';

/**
 * A definition compiled once: survey-core reads the JSON (v1 property names, defaults, generated
 * rating scales) into a Model that is kept and reused for every submission, so visibility,
 * requiredness and SurveyJS's own rules are decided by survey-core itself, exactly as on the
 * respondent's phone; beside it, plain field specs hold the value domains survey-core does not
 * check (a rating of 42 on 1–5, a choice that does not exist). Pure: no database, no React.
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
  /** isRequired, for the plain path (see CompiledForm.plain) */
  required?: boolean;
  /** the key of its answer in the data: the valueName, else the name */
  key: string;
  type: string;
  kind: FieldKind;
  /** allowed values; null when choices come from elsewhere (a URL or another question) */
  choices?: Set<string> | null;
  otherValue?: string;
  /** storeOthersAsComment: false — the text typed for "other" is the value itself */
  otherAsValue?: boolean;
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
  /** the key suffix of comments and "other" texts (survey-level commentSuffix), for dynamic panels */
  commentSuffix?: string;
}

export interface CompiledForm {
  /** one per question outside dynamic panels and matrices, in survey-core's order */
  fields: Field[];
  /** the Model's question for each field (same index) */
  questions: SurveyQuestion[];
  /** answer key → the fields that store their answer there (SurveyJS lets several share one) */
  byKey: Map<string, Field[]>;
  /** calculated values that survey-core includes in the results */
  computedKeys: Set<string>;
  commentSuffix: string;
  /** survey-core's model of the form, reused for every submission (validation is synchronous) */
  model: Model;
  /**
   * The form has no logic at all (no conditions, validators, shared or computed values, dynamic
   * panels or matrices, "other" texts…): what survey-core decides reduces to "required questions
   * are answered", so the Model is not loaded (loading answers into it costs milliseconds). The
   * property tests check that both paths give the same verdict on such forms.
   */
  plain: boolean;
  /** the scoring annotations, for turning answers into facts */
  scored: ScoredQuestion[];
}

/** Text limits we hold every answer to, whatever the definition says (the body limit is 1 MB). */
export const TEXT_LIMIT = 2000;
export const COMMENT_LIMIT = 5000;

const str = (v: unknown) => String(v);

function choiceSet(q: SurveyQuestion): Set<string> | null {
  if (q.choicesByUrl?.url || q.choicesFromQuestion) return null;
  const values = new Set<string>((q.choices ?? []).map((c: { value: unknown }) => str(c.value)));
  // "refuse to answer" and "don't know" items (SurveyJS 2+)
  if (q.showRefuseItem && q.refuseItem) values.add(str(q.refuseItem.value));
  if (q.showDontKnowItem && q.dontKnowItem) values.add(str(q.dontKnowItem.value));
  // a dropdown may generate numeric choices from choicesMin/choicesMax/choicesStep
  if (q.choicesMax > q.choicesMin || (q.choicesMax && !values.size)) {
    const step = q.choicesStep > 0 ? q.choicesStep : 1;
    for (let v = Number(q.choicesMin ?? 0); v <= Number(q.choicesMax); v += step) values.add(str(v));
  }
  return values;
}

const otherOf = (q: SurveyQuestion) =>
  q.showOtherItem || q.hasOther ? { otherValue: str(q.otherItem?.value ?? 'other'), otherAsValue: q.getStoreOthersAsComment?.() === false } : {};

/** The value domain of one question (or matrix cell, or dynamic panel question). */
function compileQuestion(q: SurveyQuestion): Field {
  const type = q.getType();
  const base: Field = {
    name: q.name,
    key: q.getValueName?.() ?? q.name,
    type,
    kind: 'text',
    commentAllowed: Boolean(q.showCommentArea ?? q.hasComment),
    required: Boolean(q.isRequired),
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
      return { ...base, kind: 'single', choices: choiceSet(q), ...otherOf(q), noneValue: q.showNoneItem || q.hasNone ? str(q.noneItem?.value ?? 'none') : undefined };
    }
    case 'checkbox':
    case 'tagbox':
      return {
        ...base,
        kind: 'multi',
        choices: choiceSet(q),
        ...otherOf(q),
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
        const cell = compileQuestion(col.templateQuestion as SurveyQuestion);
        cell.name = cell.key = col.name;
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
        items.set(item.name, { name: item.name, key: item.name, type: 'text', kind: numeric ? 'number' : 'text', maxLength: TEXT_LIMIT });
      }
      return { ...base, kind: 'multipletext', items };
    }
    case 'paneldynamic':
      return {
        ...base,
        kind: 'paneldynamic',
        template: (q.template?.questions ?? []).map((t: Question) => compileQuestion(t as SurveyQuestion)),
        minRows: q.minPanelCount || 0,
        maxRows: q.maxPanelCount || 100,
        commentSuffix: (q.survey as SurveyObject | undefined)?.commentSuffix || '-Comment',
      };
    case 'expression':
      return { ...base, kind: 'passive' };
    case 'html':
    case 'image':
      return { ...base, kind: 'display' };
    default:
      // file, signaturepad and any custom type: accepted and not scored
      return { ...base, kind: 'unscored' };
  }
}

const PLAIN_TYPES = new Set(['rating', 'radiogroup', 'dropdown', 'checkbox', 'tagbox', 'boolean', 'comment', 'text', 'matrix', 'imagepicker', 'html', 'image']);
/** Properties that make a form's outcome depend on survey-core's logic. */
const LOGIC = /^(visible|visibleIf|enableIf|requiredIf|readOnly|setValueIf|resetValueIf|setValueExpression|defaultValue|defaultValueExpression|correctAnswer|validators|valueName|triggers|calculatedValues|clearInvisibleValues|clearIfInvisible|choicesVisibleIf|choicesEnableIf|rowsVisibleIf|columnsVisibleIf|choicesByUrl|choicesFromQuestion|showOtherItem|hasOther|showNoneItem|hasNone|showSelectAllItem|hasSelectAll|showRefuseItem|showDontKnowItem|storeOthersAsComment|inputType|min|max|minSelectedChoices|maskType|firstPageIsStartPage|firstPageIsStarted|questionsOrder|questionOrder|choicesOrder)$/;

function isPlain(definition: unknown, questions: SurveyQuestion[]): boolean {
  if (questions.some((q) => !PLAIN_TYPES.has(q.getType()))) return false;
  if (new Set(questions.map((q) => q.name)).size !== questions.length) return false;
  const stack: unknown[] = [definition];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (LOGIC.test(k) && !(k === 'inputType' && (v === 'text' || v === 'number'))) return false;
        if (typeof v === 'object') stack.push(v);
      }
    }
  }
  return true;
}

/** Compiles a definition; throws if survey-core cannot read it (check it with checkDefinition first). */
export function compileDefinition(definition: Record<string, unknown>): CompiledForm {
  registerPingyiProperties();
  // survey-core writes into the JSON it is given (it adds defaults such as a column's cellType)
  const model = new Model(structuredClone(definition));
  const questions = model.getAllQuestions(false) as SurveyQuestion[];
  const fields = questions.map((q) => compileQuestion(q));
  const byKey = new Map<string, Field[]>();
  for (const f of fields) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  const computedKeys = new Set<string>(
    ((model.calculatedValues ?? []) as SurveyObject[]).filter((c) => c.includeIntoResult).map((c) => String(c.name)),
  );
  return {
    fields,
    questions,
    byKey,
    computedKeys,
    commentSuffix: model.commentSuffix || '-Comment',
    model,
    plain: isPlain(definition, questions),
    scored: scoredQuestions(definition),
  };
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
