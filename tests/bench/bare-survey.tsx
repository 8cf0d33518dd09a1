// The reference the page bench compares /s/[token] with: the same questionnaire on a bare,
// client-rendered SurveyJS page (React + survey-react-ui, nothing else), bundled by the bench.
import { createRoot } from 'react-dom/client';
import { Model } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import { Survey } from 'survey-react-ui';

const definition = JSON.parse(document.getElementById('definition')!.textContent!) as Record<string, unknown>;
const model = new Model(definition);
model.locale = 'zh-cn';
createRoot(document.getElementById('root')!).render(<Survey model={model} />);
