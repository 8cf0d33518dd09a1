// Attack 8 of issue 14 at the function every login redirect goes through (the browser test in
// browser.test.ts performs it through a real login). Each payload is what the login page receives
// in `next` after the query string is decoded; the browser's own URL parser decides where it leads.
import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/lib/auth/next-path';

const SITE = 'https://pingyi.example.cn';
/** Where the browser goes when the page sends it to `path` (what router.push and redirect do). */
const lands = (path: string) => new URL(path, `${SITE}/login`).origin;

describe('attack 8: open redirect after login', () => {
  const offsite = [
    '/\\example.org', // /%5Cexample.org decoded
    '//example.org',
    'https://example.org',
    '/\\/example.org',
    '/\t/example.org',
    '/\n/example.org',
    '/..//example.org',
    '/.//example.org',
    '/%2e%2e//example.org',
    '//example.org/%2F..',
    '///example.org',
    'javascript:alert(1)',
    ' /account',
    'example.org',
    '',
  ];
  it.each(offsite)('%j goes to /account, on the site', (payload) => {
    // without the check, most of these would leave the site
    expect(safeNextPath(payload)).toBe('/account');
    expect(lands(safeNextPath(payload))).toBe(SITE);
  });

  it('same-site paths are kept with their query and fragment, and stay on the site', () => {
    for (const p of ['/rounds', '/templates/0b0c?tab=json#preview', '/results/x/schools/y', '/%2F%2Fexample.org']) {
      expect(lands(safeNextPath(p))).toBe(SITE);
    }
    expect(safeNextPath('/templates/0b0c?tab=json#preview')).toBe('/templates/0b0c?tab=json#preview');
    expect(safeNextPath(['/rounds', '//example.org'])).toBe('/account');
    expect(safeNextPath(undefined, '/')).toBe('/');
  });
});
