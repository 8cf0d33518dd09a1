import createDOMPurify, { type Config, type WindowLike } from 'dompurify';

/**
 * What HTML a questionnaire may show (in an html question, a *Html property, or anything SurveyJS
 * renders as HTML): DOMPurify's HTML profile — text formatting, lists, tables, images, links with
 * http(s)/mailto/tel URLs — and nothing that runs or submits: no script, event handler,
 * javascript: URL, SVG or MathML, iframe, object, form control or style sheet.
 * One policy for the server (import) and the browser (render).
 */
export const HTML_POLICY: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'base', 'link', 'meta'],
  FORBID_ATTR: ['srcdoc', 'formaction', 'action'],
  ALLOW_DATA_ATTR: false,
};

export interface HtmlCleaner {
  /** the sanitised HTML */
  html: (dirty: string) => string;
  /** whether sanitising removed anything (plain text comes back unchanged when nothing was) */
  removesSomething: (dirty: string) => boolean;
}

/** A sanitiser bound to a window: the browser's own, or a jsdom window on the server. */
export function htmlCleaner(window: WindowLike): HtmlCleaner {
  const purify = createDOMPurify(window);
  return {
    html: (dirty) => purify.sanitize(dirty, HTML_POLICY),
    removesSomething: (dirty) => {
      if (!/[<&]/.test(dirty)) return false;
      purify.sanitize(dirty, HTML_POLICY);
      return purify.removed.length > 0;
    },
  };
}
