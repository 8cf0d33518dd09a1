import { Model } from 'survey-core';
import { htmlCleaner, type HtmlCleaner } from '@/lib/surveys/html-policy';

let cleaner: HtmlCleaner | undefined;
const clean = (html: string) => (cleaner ??= htmlCleaner(window)).html(html);

/**
 * The SurveyJS model every page renders (the answering page and the template preview). Whatever
 * SurveyJS turns into HTML — html questions, completed/loading pages, markdown — passes through
 * DOMPurify with the import policy *after* SurveyJS has put answers, default values and expression
 * results into it: `{q1}` in an html question is replaced by raw text, so markup built at render
 * time (`'<im' + 'g onerror=…>'`) never reaches the stored definition the import sanitised.
 * A definition cannot navigate the page away on completion either (`navigateToUrl`).
 */
export class SafeModel extends Model {
  constructor(json?: unknown) {
    super(json);
    this.onNavigateToUrl.add((_, options) => {
      options.allow = false;
    });
  }

  override processHtml(html: string, reason?: string): string {
    return clean(super.processHtml(html, reason));
  }

  override getSurveyMarkdownHtml(...args: Parameters<Model['getSurveyMarkdownHtml']>): string {
    const html = super.getSurveyMarkdownHtml(...args);
    return html ? clean(html) : html;
  }
}
