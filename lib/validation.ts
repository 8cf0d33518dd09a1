import { z } from 'zod';
import { ValidationError, type FieldIssue } from '@/lib/errors';

/**
 * Parses input with a zod schema; on failure throws a ValidationError whose fields map each path
 * to catalogue keys (`errors.fields.<key>`), so every caller reports field errors the same way.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, FieldIssue[]> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    (fields[path] ??= []).push(toFieldIssue(issue));
  }
  throw new ValidationError(fields);
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  // a message set on the schema (e.g. `{ message: 'username_chars' }`) is a catalogue key;
  // zod's own default messages are sentences and never match
  if (issue.message && /^[a-z][a-z0-9_]*$/.test(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? { key: 'required' } : { key: 'invalid_type', params: { expected: String(issue.expected) } };
    case 'too_small':
      return { key: 'too_small', params: { minimum: Number(issue.minimum) } };
    case 'too_big':
      return { key: 'too_big', params: { maximum: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'invalid_value', params: { values: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { key: 'unrecognized_keys', params: { keys: issue.keys.join(', ') } };
    case 'invalid_format':
      return { key: 'invalid_format', params: { format: issue.format } };
    default:
      return { key: 'invalid' };
  }
}

/** Free text that may be left out: trimmed, at most `max` characters; empty reads as absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => (s ? s : undefined));
