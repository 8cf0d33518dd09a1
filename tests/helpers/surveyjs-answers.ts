import { Model } from 'survey-core';
import { registerPingyiProperties } from '@/lib/surveys/properties';

/**
 * Completes a SurveyJS definition the way a respondent would, through survey-core's own Model:
 * every visible, editable question gets a valid value (re-checked until the visible set settles,
 * since answers show and hide questions), survey-core's own validation must pass, then
 * doComplete() applies SurveyJS's clearing rules and survey.data is what the phone would send.
 */
// survey-core's question classes each have their own properties: read them loosely, here only
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Q = Record<string, any>;

/** A small deterministic generator, so a failing case can be replayed from its seed. */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof rng>;

const SPECIAL = new Set(['selectall']);

/** A string matching the simple regular expressions real forms use (\d, \d{n}, literals, ^ $). */
function fromRegex(source: string): string {
  let out = '';
  const re = /\\d\{(\d+)\}|\\d|\[(.)-(.)\]\{(\d+)\}|\\(.)|([^^$])/g;
  for (const m of source.matchAll(re)) {
    if (m[1]) out += '7'.repeat(Number(m[1]));
    else if (m[0] === '\\d') out += '7';
    else if (m[2]) out += m[2].repeat(Number(m[4]));
    else if (m[5]) out += m[5];
    else if (m[6]) out += m[6];
  }
  return out;
}

function textValue(q: Q, r: Rng): unknown {
  const regex = (q.validators ?? []).find((v: Q) => v.getType?.() === 'regexvalidator');
  if (regex?.regex) return fromRegex(String(regex.regex));
  if ((q.validators ?? []).some((v: Q) => v.getType?.() === 'emailvalidator')) return `teacher${r.int(1, 99)}@example.cn`;
  if (q.maskType === 'pattern' && q.maskSettings?.pattern) return String(q.maskSettings.pattern).replace(/9/g, '5').replace(/a/g, 'b').replace(/\s/g, '');
  if (q.maskType === 'numeric') return r.int(1, 500);
  switch (q.inputType) {
    case 'number':
    case 'range': {
      const min = q.min !== undefined && q.min !== '' ? Number(q.min) : 0;
      const max = q.max !== undefined && q.max !== '' ? Number(q.max) : min + 100;
      return r.int(min, max);
    }
    case 'date':
      return `2024-0${r.int(1, 9)}-1${r.int(0, 9)}`;
    case 'datetime-local':
      return '2024-05-01T10:00';
    case 'time':
      return `1${r.int(0, 9)}:30`;
    case 'email':
      return `parent${r.int(1, 99)}@example.cn`;
    case 'tel':
      return '13800138000';
    case 'color':
      return '#336699';
    case 'url':
      return 'https://example.cn/';
    case 'month':
      return '2024-05';
    case 'week':
      return '2024-W20';
    case 'integer':
      return r.int(1, 50);
    default:
      return r.pick(['满意', '希望多组织活动', 'ok', 'Good course', '家校沟通顺畅']);
  }
}

/** Gives one question (or matrix cell, or panel question) a value a respondent could give. */
export function fillQuestion(q: Q, r: Rng): void {
  if (q.isReadOnly || !q.isVisible) return;
  const type = q.getType();
  switch (type) {
    case 'text':
      q.value = textValue(q, r);
      return;
    case 'comment':
      q.value = r.pick(['建议加强家校沟通。', 'More practice sessions, please.', '无']);
      return;
    case 'radiogroup':
    case 'dropdown':
    case 'imagepicker':
    case 'checkbox':
    case 'tagbox': {
      // "select all" is a button that selects the others, not a value of its own
      const items = (q.visibleChoices as Q[]).filter((c) => c !== q.selectAllItem && !SPECIAL.has(String(c.value)) && c.isEnabled !== false);
      if (!items.length) return;
      const multi = type === 'checkbox' || type === 'tagbox' || (type === 'imagepicker' && q.multiSelect);
      const otherValue = q.otherItem?.value;
      const noneValues = new Set([q.noneItem?.value, q.refuseItem?.value, q.dontKnowItem?.value].filter((v) => v !== undefined).map(String));
      if (!multi) {
        const item = r.pick(items);
        q.value = item.value;
        if (item.value === otherValue) q.comment = '其他：课后服务';
        return;
      }
      const plain = items.filter((c) => !noneValues.has(String(c.value)));
      if (!plain.length || r.next() < 0.1) {
        const none = items.find((c) => noneValues.has(String(c.value)));
        if (none) return void (q.value = [none.value]);
      }
      const min = Math.max(1, q.minSelectedChoices || 1);
      const max = Math.min(plain.length, q.maxSelectedChoices || plain.length, (q.validators ?? []).find((v: Q) => v.maxCount)?.maxCount || plain.length);
      const count = r.int(Math.min(min, max), max);
      const chosen = [...plain].sort(() => r.next() - 0.5).slice(0, count);
      q.value = chosen.map((c) => c.value);
      if (chosen.some((c) => c.value === otherValue)) q.comment = 'Other: sport';
      return;
    }
    case 'ranking': {
      const values = (q.visibleChoices as Q[]).map((c) => c.value);
      if (values.length) q.value = [...values].sort(() => r.next() - 0.5);
      return;
    }
    case 'rating': {
      const values = (q.visibleRateValues as Q[]).map((v) => v.value);
      if (values.length) q.value = r.pick(values);
      return;
    }
    case 'boolean':
      q.value = r.next() < 0.5 ? (q.valueTrue ?? true) : (q.valueFalse ?? false);
      return;
    case 'matrix': {
      const columns = (q.visibleColumns as Q[]).map((c) => c.value);
      if (!columns.length) return;
      const value: Record<string, unknown> = {};
      for (const row of q.visibleRows as Q[]) value[row.name] = r.pick(columns);
      q.value = value;
      return;
    }
    case 'matrixdynamic':
      if (q.visibleRows.length === 0 && (q.maxRowCount ?? 1) > 0) q.addRow();
    // falls through: rows are filled cell by cell like a matrixdropdown
    case 'matrixdropdown':
      for (const row of q.visibleRows as Q[]) for (const cell of row.cells as Q[]) if (cell.question && cell.column) fillQuestion(cell.question, r);
      return;
    case 'multipletext':
      for (const item of q.items as Q[]) item.editor.value = item.inputType === 'number' ? r.int(1, 9) : textValue(item.editor, r);
      return;
    case 'paneldynamic': {
      if (q.panelCount < Math.max(1, q.minPanelCount || 0) && (q.maxPanelCount ?? 1) > q.panelCount) q.panelCount = Math.max(1, q.minPanelCount || 0);
      for (const panel of q.panels as Q[]) fillContainer(panel.questions, r);
      return;
    }
    case 'file':
      q.value = [{ name: 'note.txt', type: 'text/plain', content: 'data:text/plain;base64,5L2g5aW9' }];
      return;
    case 'signaturepad':
      q.value = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      return;
    default:
      return; // expression, html, image: nothing to answer
  }
}

/** Fills the visible questions of a list, again until answering shows no new question. */
function fillContainer(questions: Q[], r: Rng): void {
  for (let pass = 0; pass < 6; pass++) {
    const todo = questions.filter((q) => q.isVisible && (q.isParentVisible ?? true) && q.isEmpty() && !q.isReadOnly);
    if (!todo.length) return;
    for (const q of todo) fillQuestion(q, r);
  }
}

export interface Completed {
  data: Record<string, unknown>;
  /** survey-core's own validation result before completing (a generator that fails it is a bug in the generator) */
  errors: string[];
}

/** One respondent's completed answers for a definition, produced by survey-core itself. */
export function completeWithSurveyCore(definition: Record<string, unknown>, seed: number): Completed {
  registerPingyiProperties();
  const survey = new Model(definition);
  const r = rng(seed);
  fillContainer(survey.getAllQuestions(false) as Q[], r);
  // answers that fail survey-core's own rules are retried with new values, as a respondent would
  for (let retry = 0; retry < 5 && !survey.validate(true); retry++) {
    for (const q of survey.getAllQuestions(false) as Q[]) if (q.isVisible && q.errors?.length) fillQuestion(q, r);
  }
  const errors = survey.validate(true) ? [] : (survey.getAllQuestions(false) as Q[]).filter((q) => q.errors?.length).map((q) => `${q.name}: ${q.errors.map((e: Q) => e.text).join('; ')}`);
  survey.doComplete();
  return { data: JSON.parse(JSON.stringify(survey.data)) as Record<string, unknown>, errors };
}
