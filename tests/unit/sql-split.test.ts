import { describe, expect, it } from 'vitest';
import { SqlSplitter } from '@/lib/backup/sql-split';

function split(text: string, chunk = text.length): string[] {
  const s = new SqlSplitter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  return [...out, ...s.end()];
}

const DUMP = `--
-- PostgreSQL database dump
--
\\restrict abc123

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $fn$ select 'a;b' $fn$;
INSERT INTO public.responses VALUES
\t('x', 'it''s; fine', '{"a": "b;c"}'),
\t('y', E'back\\\\slash\\'; quote', 'multi
line; text');
CREATE TABLE "we;ird" (id int); /* block; /* nested; */ comment */
-- trailing; comment
\\unrestrict abc123
`;

const EXPECTED = [
  'SET statement_timeout = 0',
  "SELECT pg_catalog.set_config('search_path', '', false)",
  "CREATE FUNCTION public.f() RETURNS text LANGUAGE sql AS $fn$ select 'a;b' $fn$",
  `INSERT INTO public.responses VALUES\n\t('x', 'it''s; fine', '{"a": "b;c"}'),\n\t('y', E'back\\\\slash\\'; quote', 'multi\nline; text')`,
  'CREATE TABLE "we;ird" (id int)',
];

describe('SqlSplitter', () => {
  it('splits a pg_dump script at the semicolons that end statements, dropping psql meta-commands', () => {
    expect(split(DUMP)).toEqual(EXPECTED);
  });

  it('gives the same statements whatever the chunk boundaries', () => {
    for (const chunk of [1, 2, 3, 7, 64, 65, 100]) expect(split(DUMP, chunk)).toEqual(EXPECTED);
  });
});
