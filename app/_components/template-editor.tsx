'use client';

import { json as jsonLanguage } from '@codemirror/lang-json';
import { EditorView, basicSetup } from 'codemirror';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { SurveyPreview } from './survey-preview';
import type { QuestionSummary } from '@/lib/surveys/definition';
import { QUESTION_BANK } from './question-bank';

interface Issue {
  path: string;
  message: string;
  code: string;
}
type QuestionInfo = QuestionSummary;

type Json = Record<string, unknown>;

/** Finds a question object by name anywhere in a definition. */
function findQuestion(node: unknown, name: string): Json | null {
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = findQuestion(n, name);
      if (hit) return hit;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Json;
    if (o.name === name && typeof o.type === 'string') return o;
    for (const v of Object.values(o)) {
      const hit = typeof v === 'object' ? findQuestion(v, name) : null;
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * The template editor: SurveyJS JSON in CodeMirror beside a live preview (phone width by default),
 * checked by the server on every change, with a form for the scoring annotations and a bank of
 * standard items. Built-in templates are saved as a copy.
 */
export function TemplateEditor({
  templateId,
  initial,
  builtIn,
  name,
  kind,
}: {
  templateId: string;
  initial: Json;
  builtIn: boolean;
  name: string;
  kind: string;
}) {
  const t = useTranslations('templates');
  const locale = useLocale();
  const router = useRouter();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [definition, setDefinition] = useState<Json>(initial);
  const [parseError, setParseError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [warnings, setWarnings] = useState<Issue[]>([]);
  const [questions, setQuestions] = useState<QuestionInfo[]>([]);
  const [phone, setPhone] = useState(true);
  const [selected, setSelected] = useState<string>('');
  const [status, setStatus] = useState<string | null>(null);

  const editorLabel = t('json');
  useEffect(() => {
    if (!host.current) return;
    view.current = new EditorView({
      doc: JSON.stringify(initial, null, 2),
      extensions: [basicSetup, jsonLanguage(), EditorView.contentAttributes.of({ 'aria-label': editorLabel }), EditorView.updateListener.of((u) => u.docChanged && setText(u.state.doc.toString()))],
      parent: host.current,
    });
    return () => view.current?.destroy();
  }, [initial, editorLabel]);

  // parse and check on every change (debounced)
  useEffect(() => {
    const timer = setTimeout(async () => {
      let parsed: Json;
      try {
        parsed = JSON.parse(text) as Json;
        setParseError(null);
      } catch (e) {
        setParseError((e as Error).message);
        return;
      }
      setDefinition(parsed);
      const res = await fetch('/api/v1/templates/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': locale },
        body: JSON.stringify({ definition: parsed }),
      });
      if (res.ok) {
        const body = (await res.json()) as { issues: Issue[]; warnings: Issue[]; questions: QuestionInfo[] };
        setIssues(body.issues);
        setWarnings(body.warnings ?? []);
        setQuestions(body.questions);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [text, locale]);

  function replaceText(next: Json) {
    const doc = JSON.stringify(next, null, 2);
    view.current?.dispatch({ changes: { from: 0, to: view.current.state.doc.length, insert: doc } });
  }

  function applyAnnotations(form: HTMLFormElement) {
    const copy = structuredClone(definition);
    const q = findQuestion(copy, selected);
    if (!q) return;
    const data = new FormData(form);
    const set = (key: string, value: unknown) => (value === '' || value === undefined ? delete q[key] : (q[key] = value));
    set('pingyiDimension', String(data.get('dimension') ?? '').trim());
    set('pingyiRole', String(data.get('role') ?? ''));
    const scores = String(data.get('scores') ?? '').trim();
    set(
      'pingyiScores',
      scores
        ? Object.fromEntries(
            scores.split(/[,，;；\n]+/).filter(Boolean).map((pair) => {
              const [k, v] = pair.split(/[=:：]/).map((s) => s.trim());
              return [k, Number(v)];
            }),
          )
        : '',
    );
    const exclude = String(data.get('exclude') ?? '').trim();
    set('pingyiExclude', exclude ? exclude.split(/[,，、\s]+/).filter(Boolean) : '');
    replaceText(copy);
  }

  function insertItem(index: number) {
    const copy = structuredClone(definition);
    const pages = (copy.pages as Json[] | undefined) ?? [{ name: 'page1', elements: (copy.elements as Json[]) ?? [] }];
    copy.pages = pages;
    delete copy.elements;
    const last = pages[pages.length - 1]!;
    const elements = ((last.elements as Json[]) ??= []);
    const item = structuredClone(QUESTION_BANK[index]!.element) as Json;
    let n = 1;
    const base = String(item.name);
    while (findQuestion(copy, String(item.name))) item.name = `${base}_${++n}`;
    elements.push(item);
    replaceText(copy);
  }

  async function save() {
    setStatus(null);
    const res = builtIn
      ? await fetch('/api/v1/templates', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': locale },
          body: JSON.stringify({ kind, name: `${name}（${t('copySuffix')}）`, definition }),
        })
      : await fetch(`/api/v1/templates/${templateId}/versions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': locale },
          body: JSON.stringify({ definition }),
        });
    const body = (await res.json()) as { id?: string; version?: number; error?: { message: string; issues?: { message: string }[] } };
    if (!res.ok) {
      setStatus(body.error?.message ?? String(res.status));
      return;
    }
    setStatus(t('saved', { version: body.version ?? 1 }));
    if (builtIn && body.id) router.push(`/templates/${body.id}`);
    else router.refresh();
  }

  const current = questions.find((q) => q.name === selected);
  const currentJson = selected ? findQuestion(definition, selected) : null;
  return (
    <div className="editor">
      <div className="editor-left">
        <div ref={host} className="code" role="group" aria-label={t('json')} />
        {parseError && (
          <p role="alert" className="error" data-testid="parse-error">
            {t('parseError')}: {parseError}
          </p>
        )}
        {!parseError && issues.length > 0 && (
          <ul role="alert" className="error issues" data-testid="issues">
            {issues.map((i, n) => (
              <li key={n}>{i.path ? `${i.path}：${i.message}` : i.message}</li>
            ))}
          </ul>
        )}
        {!parseError && warnings.length > 0 && (
          <details className="warnings" data-testid="warnings" open={warnings.length <= 5}>
            <summary>{t('warnings', { count: warnings.length })}</summary>
            <ul>
              {warnings.map((w, n) => (
                <li key={n} data-code={w.code}>
                  {w.path ? `${w.path}：${w.message}` : w.message}
                  {w.code === 'choices_by_url' && (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        const lines = String(new FormData(e.currentTarget).get('choices') ?? '');
                        replaceText(staticChoices(definition, w.path, lines));
                      }}
                    >
                      <label>
                        {t('choicesPaste')}
                        <textarea name="choices" rows={3} />
                      </label>
                      <button type="submit">{t('choicesToStatic')}</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          </details>
        )}
        {!parseError && issues.length === 0 && <p className="ok" data-testid="valid">{t('valid', { count: questions.length })}</p>}
        <p>
          <button type="button" onClick={save} disabled={Boolean(parseError) || issues.length > 0}>
            {builtIn ? t('saveCopy') : t('save')}
          </button>{' '}
          {status && <span role="status">{status}</span>}
        </p>
        <details>
          <summary>{t('annotations')}</summary>
          <table>
            <thead>
              <tr>
                <th>{t('question')}</th>
                <th>{t('type')}</th>
                <th>{t('scored')}</th>
                <th>{t('dimension')}</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => (
                <tr key={q.name} onClick={() => setSelected(q.name)} className={q.name === selected ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(q.name)}>
                      {q.name}
                    </button>
                  </td>
                  <td>{q.type}</td>
                  <td>{q.scored ? t('yes') : t('notScored')}</td>
                  <td>{q.dimension ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {current && currentJson && (
            <form
              key={selected + text.length}
              onSubmit={(e) => {
                e.preventDefault();
                applyAnnotations(e.currentTarget);
              }}
            >
              <label>
                {t('dimension')} <input name="dimension" defaultValue={String(currentJson.pingyiDimension ?? '')} />
              </label>
              <label>
                {t('scores')}{' '}
                <input
                  name="scores"
                  placeholder="satisfied=100, fair=75, unsatisfied=55"
                  defaultValue={Object.entries((currentJson.pingyiScores as Record<string, number>) ?? {})
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}
                />
              </label>
              <label>
                {t('exclude')} <input name="exclude" placeholder="unknown" defaultValue={((currentJson.pingyiExclude as string[]) ?? []).join(', ')} />
              </label>
              <label>
                {t('role')}
                <select name="role" defaultValue={String(currentJson.pingyiRole ?? '')}>
                  <option value="">—</option>
                  <option value="comment">{t('roleComment')}</option>
                  <option value="grade_vote">{t('roleGrade')}</option>
                </select>
              </label>
              <button type="submit">{t('apply')}</button>
            </form>
          )}
        </details>
        <details>
          <summary>{t('bank')}</summary>
          <ul className="bank">
            {QUESTION_BANK.map((item, i) => (
              <li key={item.label}>
                <button type="button" onClick={() => insertItem(i)}>
                  + {item.label}
                </button>
              </li>
            ))}
          </ul>
        </details>
      </div>
      <div className="editor-right">
        <label className="inline-check">
          <input type="checkbox" checked={phone} onChange={(e) => setPhone(e.target.checked)} /> {t('phoneWidth')}
        </label>
        {!parseError && <SurveyPreview definition={definition} phone={phone} />}
      </div>
    </div>
  );
}

/**
 * The definition with the question at `path` (…choicesByUrl) given static choices instead, from
 * pasted lines (`value` or `value|text`): choices loaded from another site never load here.
 */
function staticChoices(definition: Json, path: string, lines: string): Json {
  const copy = structuredClone(definition);
  let node: unknown = copy;
  for (const part of path.replace(/\.choicesByUrl$/, '').match(/[^.[\]]+/g) ?? []) node = (node as Record<string, unknown>)?.[/^\d+$/.test(part) ? Number(part) : part];
  const q = node as Record<string, unknown> | undefined;
  if (!q || typeof q !== 'object') return copy;
  const choices = lines
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [value, text] = l.split('|').map((x) => x.trim());
      return text ? { value, text } : value;
    });
  if (!choices.length) return copy;
  q.choices = choices;
  delete q.choicesByUrl;
  return copy;
}
