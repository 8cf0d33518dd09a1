'use client';

import { useLayoutEffect, useRef, useState } from 'react';
import { answersFromForm, type Choice, type StaticPage, type StaticQuestion, type Value } from './first-page';
import './static-first-page.css';
import { useHydrated } from './use-hydrated';

type Answers = Record<string, unknown>;

/**
 * The first page of a questionnaire as server-rendered form controls with SurveyJS's class names
 * and look, answerable before SurveyJS has loaded. The first touch, key or focus inside it calls
 * onWake (which brings in SurveyJS); the answers are lifted to the runner, which hands them to
 * SurveyJS when it takes over. Its button waits for hydration (a native submission before it would
 * be a GET with the answers beside the link's token in the URL), and a choice made before
 * hydration is read from the form as React takes over, so it counts.
 */
export function StaticFirstPage({
  page,
  answers,
  buttonText,
  waiting,
  loadingText,
  onChange,
  onWake,
  onNext,
}: {
  page: StaticPage;
  answers: Answers;
  buttonText: string;
  waiting: boolean;
  loadingText: string;
  onChange: (answers: Answers) => void;
  onWake: () => void;
  onNext: (answers: Answers) => void;
}) {
  const hydrated = useHydrated();
  const form = useRef<HTMLFormElement>(null);
  // Choices made before hydration: in the controls only, not in React's state, and the first
  // re-render would reset the controls to that state. Read once, right after hydration and before
  // anything re-renders; kept until the respondent changes that question or the page moves on.
  const [early, setEarly] = useState<Answers>({});
  useLayoutEffect(() => {
    const el = form.current;
    if (!el) return;
    const found = answersFromForm(page, (name) => {
      const field = el.elements.namedItem(name);
      return field && 'value' in field ? String(field.value) : '';
    });
    // a one-time read of what the browser holds, before React's first re-render overwrites it
    if (Object.keys(found).length) setEarly(found);
  }, [page]);
  const shown: Answers = { ...answers, ...early };
  const set = (name: string, value: unknown) => {
    setEarly((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== name)));
    onChange({ ...shown, [name]: value });
  };
  const wake = () => {
    if (Object.keys(early).length) onChange(shown);
    onWake();
  };
  return (
    <div className="sd-root-modern sd-root-modern--mobile answer-static" data-static="" onPointerDown={wake} onKeyDown={wake} onFocus={wake}>
      <form
        ref={form}
        onSubmit={(e) => {
          e.preventDefault();
          // a submit with no touch or key before it (assistive technology) has not saved them yet
          if (Object.keys(early).length) onChange(shown);
          onNext(shown);
        }}
      >
        {page.title && (
          <div className="sd-container-modern__title">
            <div className="sd-title">{page.title}</div>
            {page.description && <div className="sd-description">{page.description}</div>}
          </div>
        )}
        <div className="sd-body">
          <div className="sd-page">
            {page.questions.map((q, i) => (
              <Question key={q.name} q={q} n={page.numbered ? i + 1 : null} value={shown[q.name]} set={(v) => set(q.name, v)} />
            ))}
          </div>
          <div className="sd-body__navigation">
            <button
              type="submit"
              disabled={!hydrated}
              className={`sd-action ${page.morePages ? 'sd-navigation__next-btn' : 'sd-navigation__complete-btn'}`}
              aria-busy={waiting || undefined}
            >
              <span className="sd-action__title">{buttonText}</span>
            </button>
            {waiting && (
              <p role="status" className="answer-static__wait">
                {loadingText}
              </p>
            )}
          </div>
        </div>
      </form>
    </div>
  );
}

function Question({ q, n, value, set }: { q: StaticQuestion; n: number | null; value: unknown; set: (v: unknown) => void }) {
  const titleId = `sq_${q.name}_title`;
  return (
    <div className="sd-question sd-element" data-name={q.name}>
      <div className="sd-question__title" id={titleId}>
        {n !== null && (
          <span className="sd-element__num" aria-hidden="true">
            {n}.{' '}
          </span>
        )}
        {q.title}
        {q.required && (
          <span className="sd-question__required-text" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </div>
      <div className="sd-question__content">
        <Control q={q} titleId={titleId} value={value} set={set} />
      </div>
    </div>
  );
}

const same = (a: unknown, b: Value) => a === b || (a !== undefined && a !== null && String(a) === String(b));

function Control({ q, titleId, value, set }: { q: StaticQuestion; titleId: string; value: unknown; set: (v: unknown) => void }) {
  switch (q.type) {
    case 'radiogroup':
      return (
        <fieldset className="sd-selectbase" role="radiogroup" aria-labelledby={titleId} aria-required={q.required}>
          {q.choices.map((c, i) => (
            <Radio key={String(c.value)} id={`sq_${q.name}_${i}`} name={q.name} choice={c} checked={same(value, c.value)} onPick={() => set(c.value)} className="sd-item sd-radio sd-selectbase__item" />
          ))}
        </fieldset>
      );
    case 'rating':
      return (
        <fieldset className="sd-rating" role="radiogroup" aria-labelledby={titleId} aria-required={q.required}>
          {q.choices.map((c, i) => {
            const checked = same(value, c.value);
            return (
              <label key={String(c.value)} className={`sd-rating__item${checked ? ' sd-rating__item--selected' : ''}`}>
                <input className="sv-visuallyhidden" id={`sq_${q.name}_${i}`} type="radio" name={q.name} value={String(c.value)} checked={checked} onChange={() => set(c.value)} />
                <span className="sd-rating__item-text">{c.text}</span>
              </label>
            );
          })}
        </fieldset>
      );
    case 'matrix': {
      const rows = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      return (
        <div className="sd-matrix">
          {q.rows.map((r, ri) => (
            <fieldset key={String(r.value)} className="sd-matrix__row" role="radiogroup" aria-required={q.required}>
              <legend className="sd-table__cell--row-text">{r.text}</legend>
              {q.columns.map((c, ci) => (
                <Radio
                  key={String(c.value)}
                  id={`sq_${q.name}_${ri}_${ci}`}
                  name={`${q.name}.${String(r.value)}`}
                  choice={c}
                  checked={same(rows[String(r.value)], c.value)}
                  onPick={() => set({ ...rows, [String(r.value)]: c.value })}
                  className="sd-item sd-radio sd-matrix__label"
                />
              ))}
            </fieldset>
          ))}
        </div>
      );
    }
    case 'comment':
    case 'text': {
      const common = {
        className: 'sd-formbox__input',
        id: `sq_${q.name}_input`,
        name: q.name,
        'aria-labelledby': titleId,
        'aria-required': q.required,
        maxLength: q.maxLength ?? undefined,
        value: typeof value === 'string' ? value : '',
        onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(e.target.value === '' ? undefined : e.target.value),
      };
      return <div className={`sd-formbox sd-${q.type}`}>{q.type === 'comment' ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}</div>;
    }
  }
}

function Radio({ id, name, choice, checked, onPick, className }: { id: string; name: string; choice: Choice; checked: boolean; onPick: () => void; className: string }) {
  return (
    <label className={`${className}${checked ? ' sd-item--checked sd-radio--checked' : ''}`} htmlFor={id}>
      <input className="sv-visuallyhidden sd-item__control" id={id} type="radio" name={name} value={String(choice.value)} checked={checked} onChange={onPick} />
      <span className="sd-item__decorator sd-radio__decorator" aria-hidden="true" />
      <span className="sd-item__control-label">{choice.text}</span>
    </label>
  );
}
