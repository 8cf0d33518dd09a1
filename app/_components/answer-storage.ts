import { RESUME_COOKIE } from './first-page';

/**
 * What the answering page keeps on the respondent's device — a school computer or a parent's
 * phone that others use too — and nothing more:
 * - the draft (answers so far, step, idempotency key) in sessionStorage: it belongs to the browser
 *   tab it was typed in. A reload or a lost connection keeps it; another tab, the next student on
 *   the same class link, or anyone after the tab is closed, does not find it. It is removed as soon
 *   as the submission is acknowledged.
 * - after a submission, "answered on this device" as a bare `1` in localStorage (the class link
 *   says so on return) and the resume cookie: no answers, no idempotency key, no receipt.
 * forgetDevice() ("not my device") removes all of it.
 */
export interface Draft {
  idempotencyKey: string;
  answers: Record<string, Record<string, unknown>>;
  step: number;
}

const draftKey = (token: string) => `pingyi:draft:${token}`;
const doneKey = (token: string) => `pingyi:done:${token}`;
const DAY = 60 * 60 * 24;

/** Storage can be switched off or full (private mode): the page then works without a draft. */
function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function setResumeCookie(token: string, maxAge: number | null) {
  const age = maxAge === null ? '' : `; max-age=${maxAge}`;
  document.cookie = `${RESUME_COOKIE}=1; path=/s/${encodeURIComponent(token)}${age}; samesite=lax`;
}

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This tab's draft. Also removes what earlier versions left in localStorage (drafts, receipts). */
export function readDraft(token: string): Draft | null {
  attempt(() => {
    localStorage.removeItem(draftKey(token));
    if (localStorage.getItem(doneKey(token)) !== null) localStorage.setItem(doneKey(token), '1');
  }, undefined);
  return attempt(() => JSON.parse(sessionStorage.getItem(draftKey(token)) ?? 'null') as Draft | null, null);
}

export function writeDraft(token: string, draft: Draft) {
  attempt(() => sessionStorage.setItem(draftKey(token), JSON.stringify(draft)), undefined);
  // past the first page the server-rendered first page would only flash: skip it for this session
  if (draft.step > 0) setResumeCookie(token, null);
}

/** The submission was acknowledged: the draft goes, a bare "answered here" stays. */
export function finishDraft(token: string) {
  attempt(() => sessionStorage.removeItem(draftKey(token)), undefined);
  attempt(() => localStorage.setItem(doneKey(token), '1'), undefined);
  setResumeCookie(token, 180 * DAY);
}

export function answeredHere(token: string): boolean {
  return attempt(() => localStorage.getItem(doneKey(token)) !== null, false);
}

/** "Not my device": nothing of this link stays in the browser. */
export function forgetDevice(token: string) {
  attempt(() => sessionStorage.removeItem(draftKey(token)), undefined);
  attempt(() => localStorage.removeItem(draftKey(token)), undefined);
  attempt(() => localStorage.removeItem(doneKey(token)), undefined);
  setResumeCookie(token, 0);
}
