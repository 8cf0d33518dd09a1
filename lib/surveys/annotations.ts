/**
 * Scoring annotations carried inside a SurveyJS definition as extra properties on questions
 * (`pingyiDimension`, `pingyiScores`, `pingyiExclude`, `pingyiRole`), so the JSON stays a valid
 * SurveyJS survey. Pure: no database, no React.
 */
export interface ScoredQuestion {
  name: string;
  /** where its answer is in the data: the valueName when there is one (SurveyJS), else the name */
  key?: string;
  type: string;
  dimension?: string;
  scores?: Record<string, number>;
  exclude?: string[];
  role?: 'comment' | 'grade_vote';
  rows?: { value: string; dimension?: string; text?: string }[];
  /** the question's title and choices in Chinese, for result tables */
  title?: string;
  choices?: { value: string; text: string }[];
}

/** A SurveyJS localizable string: plain, or per locale. */
export function localText(v: unknown, locale = 'zh-cn'): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const hit = o[locale] ?? o.default ?? Object.values(o)[0];
    return typeof hit === 'string' ? hit : undefined;
  }
  return undefined;
}

function choicesOf(el: Element): { value: string; text: string }[] | undefined {
  if (!Array.isArray(el.choices) && !Array.isArray(el.columns)) return undefined;
  const list = (Array.isArray(el.choices) ? el.choices : el.columns) as unknown[];
  return list.map((c) =>
    typeof c === 'object' && c !== null
      ? { value: String((c as Record<string, unknown>).value), text: localText((c as Record<string, unknown>).text) ?? String((c as Record<string, unknown>).value) }
      : { value: String(c), text: String(c) },
  );
}

type Element = Record<string, unknown> & { type?: string; name?: string; elements?: Element[]; questions?: Element[] };

function rowsOf(el: Element): { value: string; dimension?: string }[] | undefined {
  if (!Array.isArray(el.rows)) return undefined;
  return (el.rows as unknown[]).map((r) =>
    typeof r === 'object' && r !== null
      ? {
          value: String((r as Record<string, unknown>).value),
          dimension: (r as Record<string, unknown>).pingyiDimension as string | undefined,
          text: localText((r as Record<string, unknown>).text),
        }
      : { value: String(r) },
  );
}

/** Every question of a definition with its annotations, in page order (panels flattened). */
export function scoredQuestions(definition: Record<string, unknown>): ScoredQuestion[] {
  const out: ScoredQuestion[] = [];
  const visit = (elements: Element[] | undefined) => {
    for (const el of elements ?? []) {
      if (Array.isArray(el.elements)) visit(el.elements);
      if (Array.isArray(el.questions)) visit(el.questions);
      if (!el.name || !el.type || el.type === 'panel' || el.type === 'html') continue;
      out.push({
        name: el.name,
        key: typeof el.valueName === 'string' && el.valueName ? el.valueName : undefined,
        type: el.type,
        dimension: el.pingyiDimension as string | undefined,
        scores: el.pingyiScores as Record<string, number> | undefined,
        exclude: el.pingyiExclude as string[] | undefined,
        role: el.pingyiRole as ScoredQuestion['role'],
        rows: rowsOf(el),
        title: localText(el.title) ?? el.name,
        choices: choicesOf(el),
      });
    }
  };
  // v1-era definitions put questions at the top level or in pages[].questions
  for (const page of (definition.pages as Element[] | undefined) ?? []) {
    visit(page.elements);
    visit(page.questions);
  }
  visit(definition.elements as Element[] | undefined);
  visit(definition.questions as Element[] | undefined);
  return out;
}

export interface FactDraft {
  question: string;
  row: string;
  dimension: string | null;
  value: string;
  score: number | null;
  excluded: boolean;
  itemIndex: number;
}

/** Turns one subject's answers into narrow facts for aggregation. Unanswered questions give no fact. */
export function factsFromAnswers(questions: ScoredQuestion[], data: Record<string, unknown>): FactDraft[] {
  const facts: FactDraft[] = [];
  let itemIndex = 0;
  const push = (q: ScoredQuestion, row: string, dimension: string | undefined, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    const v = String(value);
    const excluded = q.exclude?.includes(v) ?? false;
    const score = !excluded && q.scores && v in q.scores ? q.scores[v]! : null;
    facts.push({ question: q.name, row, dimension: dimension ?? null, value: v, score, excluded, itemIndex: itemIndex++ });
  };
  const seen = new Set<string>();
  for (const q of questions) {
    // questions sharing one answer (same name or valueName) count it once
    const key = q.key ?? q.name;
    if (seen.has(key)) continue;
    seen.add(key);
    const answer = data[key];
    if (q.rows && answer && typeof answer === 'object') {
      for (const row of q.rows) push(q, row.value, row.dimension ?? q.dimension, (answer as Record<string, unknown>)[row.value]);
    } else if (typeof answer !== 'object') {
      push(q, '', q.dimension, answer);
    }
  }
  return facts;
}

/** The names of the 等次 vote questions: qualitative, so left out of the quantitative score. */
export function gradeQuestions(questions: readonly ScoredQuestion[]): Set<string> {
  return new Set(questions.filter((q) => q.role === 'grade_vote').map((q) => q.name));
}
