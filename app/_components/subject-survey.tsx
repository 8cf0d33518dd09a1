'use client';

// Loaded on demand by survey-runner.tsx: survey-core, survey-react-ui and their stylesheet are the
// bulk of the answering page, so they arrive only when the respondent starts answering.
import { useEffect, useRef, useState } from 'react';
import 'survey-core/i18n/simplified-chinese';
import 'survey-core/survey-core.min.css';
import { Survey } from 'survey-react-ui';
import { SafeModel } from './safe-survey-model';

/** One SurveyJS model per subject, made once when the subject's page mounts. */
export function SubjectSurvey({
  definition,
  initial,
  completeText,
  advance,
  onChange,
  onComplete,
}: {
  definition: Record<string, unknown>;
  initial: Record<string, unknown>;
  completeText: string;
  /** the respondent pressed next/submit on the server-rendered first page before SurveyJS arrived */
  advance?: boolean;
  onChange: (data: Record<string, unknown>) => void;
  onComplete: (data: Record<string, unknown>) => void;
}) {
  const [model] = useState(() => {
    const m = new SafeModel(definition);
    m.locale = 'zh-cn';
    m.showCompletedPage = false;
    m.completeText = completeText;
    m.data = initial;
    return m;
  });
  useEffect(() => {
    const changed = () => onChange(model.data);
    const completed = () => onComplete(model.data);
    model.onValueChanged.add(changed);
    model.onComplete.add(completed);
    return () => {
      model.onValueChanged.remove(changed);
      model.onComplete.remove(completed);
    };
  }, [model, onChange, onComplete]);
  const advanced = useRef(false);
  useEffect(() => {
    if (!advance || advanced.current) return;
    // once, after the handlers above are attached: validates, then next page or complete
    advanced.current = true;
    model.performNext();
  }, [advance, model]);
  return <Survey model={model} />;
}
