'use client';

import { useMemo } from 'react';
import 'survey-core/i18n/simplified-chinese';
import 'survey-core/survey-core.min.css';
import { Survey } from 'survey-react-ui';
import { registerPingyiProperties } from '@/lib/surveys/properties';
import { SafeModel } from './safe-survey-model';

registerPingyiProperties();

/** A live SurveyJS rendering of a definition, in Simplified Chinese unless the definition says otherwise. */
export function SurveyPreview({ definition, phone }: { definition: Record<string, unknown>; phone: boolean }) {
  const model = useMemo(() => {
    const m = new SafeModel(definition);
    m.locale = typeof definition.locale === 'string' ? definition.locale : 'zh-cn';
    m.showCompleteButton = false;
    return m;
  }, [definition]);
  return (
    <div className={phone ? 'phone-frame' : 'wide-frame'} data-testid="preview">
      <Survey model={model} />
    </div>
  );
}
