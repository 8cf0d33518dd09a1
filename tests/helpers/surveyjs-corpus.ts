import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledForm, Field } from '@/lib/surveys/compile';

/** The real SurveyJS definitions of tests/fixtures/surveyjs-corpus (sources in SOURCES.md). */
export const CORPUS_DIR = join(process.cwd(), 'tests', 'fixtures', 'surveyjs-corpus');
export const CORPUS: { file: string; definition: Record<string, unknown> }[] = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, definition: JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as Record<string, unknown> }));

/**
 * For a completed answer, one value out of its question's domain per question type, with the
 * field path the refusal must name: a rating off the scale, a choice that does not exist, a
 * number that is not one, a matrix row that does not exist, a signature that is not an image…
 */
export function outOfDomain(form: CompiledForm, data: Record<string, unknown>): { type: string; key: string; value: unknown; path: string }[] {
  const out: { type: string; key: string; value: unknown; path: string }[] = [];
  const seenTypes = new Set<string>();
  for (const f of form.fields) {
    if (seenTypes.has(f.type) || !(f.key in data)) continue;
    const bad = badValue(f, data[f.key]);
    if (!bad) continue;
    seenTypes.add(f.type);
    out.push({ type: f.type, key: f.key, value: bad.value, path: bad.path ? `${f.key}.${bad.path}` : f.key });
  }
  return out;
}

function badValue(f: Field, current: unknown): { value: unknown; path?: string } | null {
  const open = f.choices === null || f.choices === undefined || f.otherAsValue;
  switch (f.kind) {
    case 'rating':
      return { value: 999 };
    case 'single':
      return open ? { value: { not: 'a value' } } : { value: '__not_a_choice__' };
    case 'multi':
    case 'ranking':
      return open ? { value: 'not a list' } : { value: ['__not_a_choice__'] };
    case 'boolean':
      return { value: 'maybe' };
    case 'number':
      return { value: 'abc' };
    case 'text':
      return { value: { a: 1 } };
    case 'comment':
      return { value: 'x'.repeat(6000) };
    case 'matrix': {
      const row = current && typeof current === 'object' ? Object.keys(current)[0] : undefined;
      return row ? { value: { ...(current as object), [row]: '__no_such_column__' }, path: row } : null;
    }
    case 'matrixdropdown':
      return { value: { ...(current as object), __no_such_row__: {} }, path: '__no_such_row__' };
    case 'multipletext':
      return { value: { ...(current as object), __no_such_item__: 'x' }, path: '__no_such_item__' };
    case 'matrixdynamic':
    case 'paneldynamic':
      return { value: 'not a list' };
    case 'unscored':
      return f.type === 'signaturepad' || f.type === 'file' ? { value: 42 } : null;
    case 'passive':
      return { value: { computed: 'elsewhere' } };
    default:
      return null;
  }
}
