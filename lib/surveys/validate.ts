import type { FieldIssue } from '@/lib/errors';
import type { CompiledForm, Field } from './compile';

/**
 * Checks a submission against a compiled form: required visible questions, values inside rating
 * scales, choice membership, matrix rows and columns, text lengths, types, and unknown keys.
 * survey-core's own validate() does not check value domains (a rating of 42 on 1–5 passes); this
 * does. Returns field path → issues (catalogue keys under errors.fields); empty when valid. Pure.
 */
export type AnswerIssues = Record<string, FieldIssue[]>;

const COMMENT_SUFFIX = '-Comment';

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

function checkValue(f: Field, v: unknown, path: string, add: (path: string, key: string, params?: Record<string, string | number>) => void): void {
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
      if (f.choices && values.some((x) => !f.choices!.has(x) && x !== f.otherValue && x !== f.noneValue)) return add(path, 'answer_not_choice');
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
      if (f.eachRowRequired) for (const row of f.rows!) if (empty(v[row])) add(`${path}.${row}`, 'answer_required');
      return;
    }
    case 'matrixdropdown': {
      if (!isPlainObject(v)) return add(path, 'answer_type');
      for (const row of Object.keys(v)) if (!f.rows!.has(row)) add(`${path}.${row}`, 'answer_unknown_row');
      // every row is checked, answered or not, so a required column cannot be skipped by leaving a row out
      const anyRequired = [...f.columns!.values()].some((c) => c.required);
      for (const row of f.rows!) if (v[row] !== undefined || anyRequired) checkRow(f, v[row] ?? {}, `${path}.${row}`, add);
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
      for (const item of f.items!.values()) if (item.required && unanswered(item, v[item.name])) add(`${path}.${item.name}`, 'answer_required');
      return;
    }
    case 'paneldynamic': {
      if (!Array.isArray(v)) return add(path, 'answer_type');
      if (v.length > (f.maxRows ?? 100)) return add(path, 'answer_too_many', { max: f.maxRows ?? 100 });
      if (v.length < (f.minRows ?? 0)) return add(path, 'answer_too_few', { min: f.minRows ?? 0 });
      v.forEach((panel, i) => {
        if (!isPlainObject(panel)) return add(`${path}.${i}`, 'answer_type');
        const inner = new Map(f.template!.map((t) => [t.name, t]));
        for (const [k, x] of Object.entries(panel)) {
          const t = inner.get(k);
          if (!t) add(`${path}.${i}.${k}`, 'answer_unknown_question');
          else if (!unanswered(t, x)) checkValue(t, x, `${path}.${i}.${k}`, add);
        }
        for (const t of f.template!) if (t.required && unanswered(t, panel[t.name])) add(`${path}.${i}.${t.name}`, 'answer_required');
      });
      return;
    }
    case 'passive':
      if (!isScalar(v)) add(path, 'answer_type');
      return;
    case 'display':
      return add(path, 'answer_unknown_question');
    case 'unscored':
      return;
  }
}

function checkRow(f: Field, cells: unknown, path: string, add: (path: string, key: string, params?: Record<string, string | number>) => void) {
  if (!isPlainObject(cells)) return add(path, 'answer_type');
  for (const [col, x] of Object.entries(cells)) {
    const c = f.columns!.get(col);
    if (!c) add(`${path}.${col}`, 'answer_unknown_column');
    else if (!unanswered(c, x)) checkValue(c, x, `${path}.${col}`, add);
  }
  for (const c of f.columns!.values()) if (c.required && unanswered(c, cells[c.name])) add(`${path}.${c.name}`, 'answer_required');
}

export function validateAnswers(form: CompiledForm, data: unknown): AnswerIssues {
  const issues: AnswerIssues = {};
  const add = (path: string, key: string, params?: Record<string, string | number>) => (issues[path] ??= []).push(params ? { key, params } : { key });
  if (!isPlainObject(data)) {
    add('_', 'answer_type');
    return issues;
  }
  const values = data;
  for (const [key, value] of Object.entries(values)) {
    if (form.byName.has(key)) continue;
    if (key.endsWith(COMMENT_SUFFIX)) {
      const owner = form.byName.get(key.slice(0, -COMMENT_SUFFIX.length));
      const ownerValue = owner ? values[owner.name] : undefined;
      const hasOther = owner?.otherValue !== undefined && (ownerValue === owner.otherValue || (Array.isArray(ownerValue) && ownerValue.includes(owner.otherValue)));
      if (owner && (owner.commentAllowed || hasOther)) {
        if (!owner.visibleIf.every((c) => c.runValues(values))) add(key, 'answer_hidden');
        else if (typeof value !== 'string') add(key, 'answer_type');
        else if (value.length > 2000) add(key, 'answer_too_long', { max: 2000 });
        continue;
      }
    }
    add(key, 'answer_unknown_question');
  }
  for (const f of form.fields) {
    const visible = f.visibleIf.every((c) => c.runValues(values));
    const v = values[f.name];
    if (!visible) {
      if (!unanswered(f, v)) add(f.name, 'answer_hidden');
      continue;
    }
    if (unanswered(f, v)) {
      if (f.required || f.requiredIf?.runValues(values)) add(f.name, 'answer_required');
      if (f.kind === 'matrix' && f.eachRowRequired && (f.required || v !== undefined)) for (const row of f.rows!) add(`${f.name}.${row}`, 'answer_required');
      continue;
    }
    checkValue(f, v, f.name, add);
  }
  return issues;
}
