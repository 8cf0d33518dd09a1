import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * False in the server's HTML and until React has taken the page over, true after. Every form that
 * submits through JavaScript disables its submit button until then: a tap or an Enter before
 * hydration (a slow phone) would otherwise submit the form natively, as a GET with every field in
 * the address bar — a login's password, a complaint's phone number or a respondent's answers next
 * to the link's token in the URL, the history and the server's logs (tests/security/browser.test.ts,
 * "fields in the address bar"). The specification also forbids the implicit submission (Enter) of a form whose default
 * button is disabled.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
