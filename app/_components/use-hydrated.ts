import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * False in the server's HTML and until React has taken the page over, true after. The forms that
 * submit through JavaScript (ApiForm, the complaint and tracking forms, the staff accounts form)
 * disable their submit button until then: a tap or an Enter before hydration (a slow phone) would
 * otherwise submit the form natively, as a GET with every field in the address bar — a login's
 * password or a complaint's phone number in the URL, the history and the server's logs
 * (tests/security/browser.test.ts, "fields in the address bar"). The HTML specification also
 * forbids the implicit submission (Enter) of a form whose default button is disabled. The
 * answering page's server-rendered first page too, which also reads the choices made before
 * hydration from its controls (static-first-page.tsx).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
