/**
 * The first page of a SurveyJS definition as plain data the answering page can render as HTML
 * before any JavaScript arrives — when every question on it is of a kind we can draw exactly
 * (radiogroup, rating as buttons, single-choice matrix, comment, text) and nothing on it depends
 * on SurveyJS logic (visibleIf, defaults, random order …). Anything else returns null and the
 * page waits for SurveyJS as before.
 */

/**
 * Set (path /s/<token>) once a respondent is past the first page or has submitted on this device:
 * the server then renders no first page, which would only flash before the draft or notice.
 */
export const RESUME_COOKIE = 'pingyi_resume';
/** survey-core's zh-cn pageNextText, for the first page's button when more pages follow */
export const PAGE_NEXT_TEXT = '下一页';

export type Value = string | number;
export interface Choice {
  value: Value;
  text: string;
}
export type StaticQuestion =
  | { type: 'radiogroup'; name: string; title: string; required: boolean; choices: Choice[] }
  | { type: 'rating'; name: string; title: string; required: boolean; choices: Choice[] }
  | { type: 'matrix'; name: string; title: string; required: boolean; rows: Choice[]; columns: Choice[] }
  | { type: 'comment' | 'text'; name: string; title: string; required: boolean; maxLength: number | null };

export interface StaticPage {
  title: string | null;
  description: string | null;
  numbered: boolean;
  /** whether the survey has more pages: the button then reads 下一页 instead of the complete text */
  morePages: boolean;
  questions: StaticQuestion[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

// Keys that change nothing about how the first page looks or behaves before SurveyJS takes over.
const SURVEY_KEYS = new Set(['title', 'description', 'locale', 'showQuestionNumbers', 'pages', 'elements', 'completedHtml', 'widthMode', 'checkErrorsMode', 'textUpdateMode']);
const PAGE_KEYS = new Set(['name', 'elements', 'navigationTitle', 'navigationDescription']);
const QUESTION_KEYS: Record<StaticQuestion['type'], Set<string>> = {
  radiogroup: new Set(['choices']),
  rating: new Set(['rateMin', 'rateMax', 'rateStep', 'rateValues', 'displayMode', 'rateType']),
  matrix: new Set(['rows', 'columns', 'eachRowRequired', 'isAllRowRequired']),
  comment: new Set(['maxLength', 'rows', 'autoGrow', 'allowResize']),
  text: new Set(['maxLength', 'inputType']),
};
const COMMON_KEYS = new Set(['type', 'name', 'title', 'isRequired']);

/** A localisable SurveyJS string: plain, or { 'zh-cn': …, default: … }. */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (isObject(v)) {
    const s = v['zh-cn'] ?? v.default;
    return typeof s === 'string' ? s : null;
  }
  return null;
}

function choices(v: unknown): Choice[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const out: Choice[] = [];
  for (const c of v) {
    if (typeof c === 'string' || typeof c === 'number') out.push({ value: c, text: String(c) });
    else if (isObject(c) && (typeof c.value === 'string' || typeof c.value === 'number') && Object.keys(c).every((k) => k === 'value' || k === 'text' || k.startsWith('pingyi'))) {
      out.push({ value: c.value, text: text(c.text) ?? String(c.value) });
    } else return null;
  }
  return out;
}

function ratingChoices(q: Json): Choice[] | null {
  if (q.rateValues !== undefined) return choices(q.rateValues);
  if (q.rateType !== undefined && q.rateType !== 'labels') return null;
  // rating as buttons only: 'auto' turns into a dropdown on a narrow screen when many items or
  // end labels do not fit, which plain HTML cannot foresee
  const min = q.rateMin ?? 1;
  const max = q.rateMax ?? 5;
  const step = q.rateStep ?? 1;
  if (typeof min !== 'number' || typeof max !== 'number' || typeof step !== 'number' || step <= 0 || max < min) return null;
  const out: Choice[] = [];
  for (let v = min; v <= max; v += step) out.push({ value: v, text: String(v) });
  if (q.displayMode !== 'buttons' && (q.displayMode !== undefined && q.displayMode !== 'auto')) return null;
  if (q.displayMode !== 'buttons' && out.length > 5) return null;
  return out;
}

function question(q: unknown): StaticQuestion | null {
  if (!isObject(q) || typeof q.type !== 'string' || typeof q.name !== 'string') return null;
  const type = q.type as StaticQuestion['type'];
  const allowed = QUESTION_KEYS[type];
  if (!allowed) return null;
  for (const k of Object.keys(q)) if (!COMMON_KEYS.has(k) && !allowed.has(k) && !k.startsWith('pingyi')) return null;
  const title = q.title === undefined ? q.name : text(q.title);
  if (title === null || (q.isRequired !== undefined && typeof q.isRequired !== 'boolean')) return null;
  const base = { name: q.name, title, required: q.isRequired === true };
  switch (type) {
    case 'radiogroup': {
      const c = choices(q.choices);
      return c && { ...base, type, choices: c };
    }
    case 'rating': {
      const c = ratingChoices(q);
      return c && { ...base, type, choices: c };
    }
    case 'matrix': {
      const rows = choices(q.rows);
      const columns = choices(q.columns);
      return rows && columns && { ...base, type, rows, columns, required: base.required || q.eachRowRequired === true || q.isAllRowRequired === true };
    }
    case 'comment':
    case 'text': {
      if (type === 'text' && q.inputType !== undefined && q.inputType !== 'text') return null;
      const maxLength = typeof q.maxLength === 'number' && q.maxLength > 0 ? q.maxLength : null;
      return { ...base, type, maxLength };
    }
  }
}

function numbered(v: unknown): boolean | null {
  if (v === undefined || v === false || v === 'off') return false;
  if (v === true || v === 'on' || (typeof v === 'string' && v.toLowerCase() === 'onpage')) return true;
  return null;
}

export function staticFirstPage(definition: Json): StaticPage | null {
  for (const k of Object.keys(definition)) if (!SURVEY_KEYS.has(k) && !k.startsWith('pingyi')) return null;
  const pages = Array.isArray(definition.pages) ? definition.pages : definition.elements ? [{ elements: definition.elements }] : [];
  const first: unknown = pages[0];
  if (!isObject(first) || !Array.isArray(first.elements) || first.elements.length === 0) return null;
  for (const k of Object.keys(first)) if (!PAGE_KEYS.has(k) && !k.startsWith('pingyi')) return null;
  const questions: StaticQuestion[] = [];
  for (const q of first.elements) {
    const s = question(q);
    if (!s) return null;
    questions.push(s);
  }
  const isNumbered = numbered(definition.showQuestionNumbers);
  if (isNumbered === null) return null;
  return {
    title: definition.title === undefined ? null : text(definition.title),
    description: definition.description === undefined ? null : text(definition.description),
    numbered: isNumbered,
    morePages: pages.length > 1,
    questions,
  };
}

const given = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

/** Whether every required question of the page has an answer (what SurveyJS would check on it). */
export function firstPageComplete(page: StaticPage, answers: Record<string, unknown>): boolean {
  return page.questions.every((q) => {
    if (!q.required) return true;
    const v = answers[q.name];
    if (q.type !== 'matrix') return given(v);
    const rows = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
    return q.rows.every((r) => given(rows[String(r.value)]));
  });
}

/**
 * The answers the first page's controls hold, read back by field name (`value` gives a control's
 * current value, '' when none). A choice made before React took the page over is in the form but
 * not in React's state (React leaves such input alone when it hydrates and replays no change event),
 * so the page reads its own form before it moves on. Choices come back with their typed values.
 */
export function answersFromForm(page: StaticPage, value: (name: string) => string): Record<string, unknown> {
  const pick = (choices: Choice[], v: string) => choices.find((c) => String(c.value) === v)?.value;
  const out: Record<string, unknown> = {};
  for (const q of page.questions) {
    if (q.type === 'matrix') {
      const rows: Record<string, Value> = {};
      for (const r of q.rows) {
        const v = pick(q.columns, value(`${q.name}.${String(r.value)}`));
        if (v !== undefined) rows[String(r.value)] = v;
      }
      if (Object.keys(rows).length) out[q.name] = rows;
    } else if (q.type === 'radiogroup' || q.type === 'rating') {
      const v = pick(q.choices, value(q.name));
      if (v !== undefined) out[q.name] = v;
    } else {
      const v = value(q.name);
      if (v !== '') out[q.name] = v;
    }
  }
  return out;
}
