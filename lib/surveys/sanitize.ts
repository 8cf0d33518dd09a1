import type { WindowLike } from 'dompurify';
import { htmlCleaner, type HtmlCleaner } from './html-policy';

/**
 * Sanitises a SurveyJS definition on import, with DOMPurify (lib/surveys/html-policy.ts) over a
 * jsdom window. Every string SurveyJS may show is covered:
 * - HTML-bearing properties (`html`, any `*Html` such as completedHtml, and their translations)
 *   are always passed through the sanitiser;
 * - other displayed text (titles, descriptions, choice texts, default values …) is kept as typed
 *   unless the sanitiser would remove something from it, in which case it is replaced by the
 *   sanitised text — so `A < B & C` stays as it is while `<img onerror=…>` loses its handler;
 * - URL properties (navigateToUrl, imageLink, logo, choicesByUrl.url …) are dropped unless they are
 *   relative or http(s)/mailto/tel (images may also be data:image/…);
 * - names and expressions (`*If`, `expression`) are logic, not shown, and are left alone.
 * This is the import half; the browser sanitises again what SurveyJS renders, after it has
 * substituted answers and expression results into the text (app/_components/safe-survey-model.ts).
 */
export async function sanitizeDefinition(definition: Record<string, unknown>): Promise<Record<string, unknown>> {
  const cleaner = await serverCleaner();
  return walk(definition, 'text', cleaner) as Record<string, unknown>;
}

type Mode = 'text' | 'html' | 'url' | 'image' | 'logic';

let cleaner: Promise<HtmlCleaner> | undefined;
function serverCleaner(): Promise<HtmlCleaner> {
  // jsdom is loaded on the first import of a definition, not with every module that imports this one
  cleaner ??= import('jsdom').then(({ JSDOM }) => htmlCleaner(new JSDOM('').window as unknown as WindowLike));
  return cleaner;
}

const LOCALE_KEY = /^(default|[a-z]{2}(-[a-z]{2,4})?)$/i;

function modeOf(key: string, parent: Mode): Mode {
  if (key === 'name' || key === 'type' || key === 'valueName' || /If$/.test(key) || /[eE]xpression$/.test(key)) return 'logic';
  if (key === 'html' || /Html$/.test(key)) return 'html';
  if (/(logo|[iI]mage|imageLink)$/.test(key)) return 'image';
  if (/([uU]rl|Link)$/.test(key)) return 'url';
  // { "default": …, "zh-cn": … } is one localisable string: it keeps its property's kind
  return LOCALE_KEY.test(key) ? parent : 'text';
}

function safeUrl(value: string, mode: 'url' | 'image'): boolean {
  // browsers ignore whitespace and control characters inside a scheme (java\tscript:)
  const compact = value.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  if (['http', 'https', 'mailto', 'tel'].includes(scheme)) return true;
  return mode === 'image' && /^data:image\/(png|gif|jpe?g|webp);/i.test(compact);
}

function walk(value: unknown, mode: Mode, c: HtmlCleaner): unknown {
  if (typeof value === 'string') {
    switch (mode) {
      case 'logic':
        return value;
      case 'url':
      case 'image':
        return safeUrl(value, mode) ? value : undefined;
      case 'html':
        return c.html(value);
      case 'text':
        return c.removesSomething(value) ? c.html(value) : value;
    }
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, mode, c)).filter((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const cleaned = walk(v, modeOf(k, mode), c);
      if (cleaned !== undefined) out[k] = cleaned;
    }
    return out;
  }
  return value;
}
