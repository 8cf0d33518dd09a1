const BASE = 'http://pingyi.invalid';

/**
 * Where to go after logging in: a path on this site, or the fallback. The browser's URL parser is
 * the judge, not a prefix check: it reads `/\example.org` and `/<tab>/example.org` as
 * `//example.org` (another host), and `/..//example.org` normalises to it, so the value is resolved
 * against a fixed origin and kept only if it stays there and its path cannot be read as
 * protocol-relative.
 */
export function safeNextPath(next: unknown, fallback = '/account'): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  // backslashes and control characters have no business in our paths; parsers disagree about them
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
