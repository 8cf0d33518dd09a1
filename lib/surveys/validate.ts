import { ExpressionRunner } from 'survey-core';
import type { FieldIssue } from '@/lib/errors';
import { COMMENT_LIMIT, type CompiledForm, type Field } from './compile';

/**
 * Checks a submission the way survey-core would have let the respondent complete it, plus the
 * value domains survey-core leaves unchecked:
 * - survey-core decides, on the form's own Model loaded with the submitted data: which questions,
 *   panels and pages are visible (visible/visibleIf, enableIf, requiredIf, valueName,
 *   clearInvisibleValues, calculated values), which values it would have cleared on completion
 *   (refused as hidden answers), and its own rules (required, eachRowRequired, minSelectedChoices,
 *   validators, other text, unique keys, nested panels and cells);
 * - the compiled fields check what survey-core accepts blindly: values inside rating scales,
 *   choice membership, matrix rows and columns, types, lengths and ranges, unknown keys.
 * Returns field path → issues (catalogue keys under errors.fields); empty when valid. Pure.
 */
export type AnswerIssues = Record<string, FieldIssue[]>;
type Add = (path: string, key: string, params?: Record<string, string | number>) => void;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SurveyObject = Record<string, any>;

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

/** Kinds whose answer is one value: an empty object or array there is a wrong type, not "no answer". */
const SCALAR_KINDS = new Set(['text', 'number', 'comment', 'single', 'rating', 'boolean', 'passive']);
function unanswered(f: Field, v: unknown): boolean {
  return SCALAR_KINDS.has(f.kind) ? v === undefined || v === null || v === '' : empty(v);
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkValue(f: Field, v: unknown, path: string, add: Add): void {
  switch (f.kind) {
    case 'text':
    case 'comment':
      if (typeof v !== 'string' && typeof v !== 'number') return add(path, 'answer_type');
      if (String(v).length > (f.maxLength ?? 2000)) return add(path, 'answer_too_long', { max: f.maxLength ?? 2000 });
      return;
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) return add(path, 'answer_not_number');
      if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) return add(path, 'answer_out_of_range', { min: f.min ?? '-∞', max: f.max ?? '∞' });
      return;
    }
    case 'single':
      if (!isScalar(v)) return add(path, 'answer_type');
      if (f.otherAsValue && typeof v === 'string') return v.length > TEXT_MAX ? add(path, 'answer_too_long', { max: TEXT_MAX }) : undefined;
      if (f.choices && !f.choices.has(String(v)) && String(v) !== f.otherValue && String(v) !== f.noneValue) return add(path, 'answer_not_choice');
      return;
    case 'rating':
      if (typeof v !== 'number' && typeof v !== 'string') return add(path, 'answer_type');
      if (f.choices && !f.choices.has(String(v))) return add(path, 'answer_out_of_scale', { values: [...f.choices].join(', ') });
      return;
    case 'multi':
    case 'ranking': {
      if (!Array.isArray(v) || !v.every(isScalar)) return add(path, 'answer_type');
      const values = v.map(String);
      if (new Set(values).size !== values.length) return add(path, 'answer_duplicate');
      const foreign = f.choices ? values.filter((x) => !f.choices!.has(x) && x !== f.otherValue && x !== f.noneValue) : [];
      // with storeOthersAsComment: false the typed "other" text is one of the values
      if (foreign.length > (f.otherAsValue ? 1 : 0)) return add(path, 'answer_not_choice');
      if (f.noneValue && values.includes(f.noneValue) && values.length > 1) return add(path, 'answer_none_exclusive');
      if (f.minSelected && values.length < f.minSelected) return add(path, 'answer_too_few', { min: f.minSelected });
      if (f.maxSelected && values.length > f.maxSelected) return add(path, 'answer_too_many', { max: f.maxSelected });
      return;
    }
    case 'boolean':
      if (!f.booleanValues!.some((b) => b === v)) return add(path, 'answer_type');
      return;
    case 'matrix': {
      if (!isPlainObject(v)) return add(path, 'answer_type');
      for (const [row, cell] of Object.entries(v)) {
        if (!f.rows!.has(row)) add(`${path}.${row}`, 'answer_unknown_row');
        else if (!isScalar(cell) || !f.columnValues!.has(String(cell))) add(`${path}.${row}`, 'answer_not_choice');
      }
      return;
    }
    case 'matrixdropdown': {
      if (!isPlainObject(v)) return add(path, 'answer_type');
      for (const row of Object.keys(v)) if (!f.rows!.has(row)) add(`${path}.${row}`, 'answer_unknown_row');
      for (const row of f.rows!) if (v[row] !== undefined) checkRow(f, v[row], `${path}.${row}`, add);
      return;
    }
    case 'matrixdynamic': {
      if (!Array.isArray(v)) return add(path, 'answer_type');
      if (v.length > (f.maxRows ?? 1000)) return add(path, 'answer_too_many', { max: f.maxRows ?? 1000 });
      if (v.length < (f.minRows ?? 0)) return add(path, 'answer_too_few', { min: f.minRows ?? 0 });
      v.forEach((cells, i) => checkRow(f, cells, `${path}.${i}`, add));
      return;
    }
    case 'multipletext': {
      if (!isPlainObject(v)) return add(path, 'answer_type');
      for (const [k, x] of Object.entries(v)) {
        const item = f.items!.get(k);
        if (!item) add(`${path}.${k}`, 'answer_unknown_question');
        else if (!unanswered(item, x)) checkValue(item, x, `${path}.${k}`, add);
      }
      return;
    }
    case 'paneldynamic': {
      if (!Array.isArray(v)) return add(path, 'answer_type');
      if (v.length > (f.maxRows ?? 100)) return add(path, 'answer_too_many', { max: f.maxRows ?? 100 });
      if (v.length < (f.minRows ?? 0)) return add(path, 'answer_too_few', { min: f.minRows ?? 0 });
      v.forEach((panel, i) => {
        if (!isPlainObject(panel)) return add(`${path}.${i}`, 'answer_type');
        const inner = new Map(f.template!.map((t) => [t.key, t]));
        const suffix = f.commentSuffix ?? '-Comment';
        for (const [k, x] of Object.entries(panel)) {
          const t = inner.get(k);
          const owner = !t && k.endsWith(suffix) ? inner.get(k.slice(0, -suffix.length)) : undefined;
          if (owner && (owner.commentAllowed || owner.otherValue !== undefined)) {
            if (typeof x !== 'string') add(`${path}.${i}.${k}`, 'answer_type');
            else if (x.length > COMMENT_LIMIT) add(`${path}.${i}.${k}`, 'answer_too_long', { max: COMMENT_LIMIT });
          } else if (!t) add(`${path}.${i}.${k}`, 'answer_unknown_question');
          else if (!unanswered(t, x)) checkValue(t, x, `${path}.${i}.${k}`, add);
        }
      });
      return;
    }
    case 'passive':
      if (!isScalar(v)) add(path, 'answer_type');
      return;
    case 'display':
      return add(path, 'answer_unknown_question');
    case 'unscored':
      // a signature is an image data URL; files are a list of {name, type, content} (data URLs)
      if (f.type === 'signaturepad' && (typeof v !== 'string' || !v.startsWith('data:image/'))) return add(path, 'answer_type');
      if (f.type === 'file' && (!Array.isArray(v) || !v.every((x) => isPlainObject(x) && typeof x.name === 'string'))) return add(path, 'answer_type');
      return;
  }
}

function checkRow(f: Field, cells: unknown, path: string, add: Add) {
  if (!isPlainObject(cells)) return add(path, 'answer_type');
  for (const [col, x] of Object.entries(cells)) {
    const c = f.columns!.get(col);
    if (!c) add(`${path}.${col}`, 'answer_unknown_column');
    else if (!unanswered(c, x)) checkValue(c, x, `${path}.${col}`, add);
  }
}

/** survey-core's error types, as our catalogue keys; the rest carry survey-core's own text. */
const ERROR_KEYS: Record<string, string> = {
  required: 'answer_required',
  requireoneanswer: 'answer_required',
  requiredinallrowserror: 'answer_required',
  otherempty: 'answer_other_empty',
  keyduplicationerror: 'answer_duplicate',
  eachrowuniqueeerror: 'answer_duplicate',
  requirenumeric: 'answer_not_number',
};
/** Errors about loading and uploading in a browser, which mean nothing for submitted data. */
const CLIENT_ONLY = new Set(['webrequest', 'webrequestempty', 'uploadingfile']);
const TEXT_MAX = 2000;

/** The errors survey-core put on a question and, recursively, on its panels, rows and items. */
function collectErrors(q: SurveyObject, path: string, add: Add): void {
  for (const e of (q.errors ?? []) as SurveyObject[]) {
    const type = String(e.getErrorType());
    if (CLIENT_ONLY.has(type)) continue;
    if (type === 'requiredinallrowserror') {
      const value = (q.value ?? {}) as Record<string, unknown>;
      for (const row of q.visibleRows ?? []) if (empty(value[row.name])) add(`${path}.${row.name}`, 'answer_required');
      continue;
    }
    const key = ERROR_KEYS[type];
    if (key) add(path, key);
    else add(path, 'answer_rule', { message: String(e.text ?? e.getText?.() ?? type) });
  }
  const type = q.getType?.();
  if (type === 'paneldynamic') {
    ((q.panels ?? []) as SurveyObject[]).forEach((panel, i) => {
      for (const inner of panel.questions as SurveyObject[]) collectErrors(inner, `${path}.${i}.${inner.getValueName()}`, add);
    });
  } else if (type === 'matrixdropdown' || type === 'matrixdynamic') {
    ((q.visibleRows ?? []) as SurveyObject[]).forEach((row, i) => {
      for (const cell of (row.cells ?? []) as SurveyObject[]) {
        if (cell.question && cell.column) collectErrors(cell.question, `${path}.${type === 'matrixdynamic' ? i : row.rowName}.${cell.column.name}`, add);
      }
    });
  } else if (type === 'multipletext') {
    for (const item of (q.items ?? []) as SurveyObject[]) if (item.editor) collectErrors(item.editor, `${path}.${item.name}`, add);
  }
}

/**
 * Would survey-core have cleared this question's value when the respondent completed the form?
 * survey-core clears in one pass, deciding visibility on the answers before clearing: a question
 * shown only because of an answer that was then cleared keeps its value (q3 visibleIf "{q2}
 * notempty", q2 hidden by a later answer: q2 is cleared, q3 is not). So a hidden question whose
 * condition reads a question that is itself hidden now may have been visible at completion: its
 * value is what survey-core sends, not an answer to a hidden question.
 */
function clearedOnComplete(model: SurveyObject, q: SurveyObject): boolean {
  return q.getClearIfInvisible() !== 'none' && q.canClearValueAsInvisible('onComplete') && !readsHiddenQuestion(model, q);
}

/**
 * The names a visibleIf reads, parsed once per element: the Model, and so its elements, is reused
 * for every submission to a form version.
 */
const conditionNames = new WeakMap<SurveyObject, string[]>();
function namesRead(el: SurveyObject): string[] {
  let names = conditionNames.get(el);
  if (!names) conditionNames.set(el, (names = el.visibleIf ? new ExpressionRunner(String(el.visibleIf)).getVariables().map((v) => v.split(/[.[]/)[0]!) : []));
  return names;
}

/** Does a visibility condition of the question, or of a panel or page around it, read a hidden question? */
function readsHiddenQuestion(model: SurveyObject, q: SurveyObject): boolean {
  for (let el: SurveyObject | undefined = q; el; el = el.parent ?? (el.isPage ? undefined : el.page)) {
    for (const name of namesRead(el)) {
      const source = model.getQuestionByValueName(name) ?? model.getQuestionByName(name);
      if (source && source !== q && !source.isVisibleInSurvey) return true;
    }
  }
  return false;
}

/**
 * Submitted values inside dynamic panels that survey-core clears on completion because their
 * question is hidden there (the submitted value counts, not one survey-core computed itself).
 */
function hiddenInPanels(q: SurveyObject, submitted: unknown, path: string, add: Add): void {
  if (q.getType() !== 'paneldynamic' || !Array.isArray(submitted)) return;
  ((q.panels ?? []) as SurveyObject[]).forEach((panel, i) => {
    const entry = submitted[i];
    if (!isPlainObject(entry)) return;
    for (const inner of panel.questions as SurveyObject[]) {
      const key = inner.getValueName();
      const at = `${path}.${i}.${key}`;
      if (empty(entry[key])) continue;
      if (!inner.isVisible && inner.getClearIfInvisible() !== 'none') add(at, 'answer_hidden');
      else if (inner.isVisible) hiddenInPanels(inner, entry[key], at, add);
    }
  });
}

export function validateAnswers(form: CompiledForm, data: unknown): AnswerIssues {
  const issues: AnswerIssues = {};
  const add: Add = (path, key, params) => (issues[path] ??= []).push(params ? { key, params } : { key });
  if (!isPlainObject(data)) {
    add('_', 'answer_type');
    return issues;
  }
  const known: Record<string, unknown> = {};
  const comments: [key: string, owners: Field[]][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (form.byKey.has(key) || form.computedKeys.has(key)) {
      known[key] = value;
      continue;
    }
    if (key.endsWith(form.commentSuffix)) {
      const owners = form.byKey.get(key.slice(0, -form.commentSuffix.length)) ?? [];
      const ownerValue = data[key.slice(0, -form.commentSuffix.length)];
      const otherChosen = (f: Field) => f.otherValue !== undefined && (ownerValue === f.otherValue || (Array.isArray(ownerValue) && ownerValue.includes(f.otherValue)));
      if (owners.some((f) => f.commentAllowed || otherChosen(f))) {
        if (typeof value !== 'string') add(key, 'answer_type');
        else if (value.length > COMMENT_LIMIT) add(key, 'answer_too_long', { max: COMMENT_LIMIT });
        else {
          known[key] = value;
          comments.push([key, owners]);
        }
        continue;
      }
    }
    add(key, 'answer_unknown_question');
  }

  if (form.plain) {
    // a form without logic: every question is visible, and survey-core asks only that required ones are answered
    for (const f of form.fields) {
      const v = known[f.key];
      if (!unanswered(f, v)) domainCheck(form, f, v, add, new Set());
      else if (f.required) add(f.key, 'answer_required');
      // a value of the wrong type is reported as such, not as every row missing
      if (f.kind === 'matrix' && f.eachRowRequired && (unanswered(f, v) || isPlainObject(v))) {
        const rows = isPlainObject(v) ? v : {};
        for (const row of f.rows!) if (empty(rows[row])) add(`${f.key}.${row}`, 'answer_required');
      }
    }
    return issues;
  }

  // survey-core evaluates every condition on the submitted data, as the respondent's page did
  const model = form.model;
  // plain JSON objects: survey-core refuses objects of another realm or without a prototype
  model.data = JSON.parse(JSON.stringify(known));
  const visibleKeys = new Set<string>();
  const domainChecked = new Set<string>();
  form.fields.forEach((f, i) => {
    const q = form.questions[i]!;
    const v = known[f.key];
    if (!q.isVisibleInSurvey) {
      if (!unanswered(f, v) && clearedOnComplete(model, q)) add(f.key, 'answer_hidden');
      else if (!unanswered(f, v) && !domainChecked.has(f.key)) domainCheck(form, f, v, add, domainChecked);
      return;
    }
    visibleKeys.add(f.key);
    q.validate(true);
    // unanswered, and shown only because an answer it reads was cleared: at completion it may have
    // been hidden, so survey-core did not ask for it (the one-pass clearing above, the other way)
    if (!(unanswered(f, v) && readsHiddenQuestion(model, q))) collectErrors(q, f.key, add);
    hiddenInPanels(q, v, f.key, add);
    if (!unanswered(f, v) && !domainChecked.has(f.key)) domainCheck(form, f, v, add, domainChecked);
  });
  for (const [key, owners] of comments) {
    const ownerKey = owners[0]!.key;
    if (!visibleKeys.has(ownerKey) && form.fields.some((f, i) => f.key === ownerKey && clearedOnComplete(model, form.questions[i]!))) add(key, 'answer_hidden');
  }
  return issues;
}

/**
 * The value domain of an answer. Several questions may share one answer (same name or valueName)
 * with different choices: the answer is valid when it is valid for one of them.
 */
function domainCheck(form: CompiledForm, f: Field, v: unknown, add: Add, done: Set<string>): void {
  done.add(f.key);
  const sharing = form.byKey.get(f.key) ?? [f];
  let best: AnswerIssues | null = null;
  for (const candidate of sharing) {
    const found: AnswerIssues = {};
    checkValue(candidate, v, f.key, (path, key, params) => (found[path] ??= []).push(params ? { key, params } : { key }));
    if (!Object.keys(found).length) return;
    best ??= found;
  }
  for (const [path, list] of Object.entries(best ?? {})) for (const i of list) add(path, i.key, i.params);
}
