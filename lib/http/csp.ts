/**
 * The Content-Security-Policy of every page, with the request's nonce. Scripts run only with the
 * nonce ('strict-dynamic' lets them load the chunks they import), never inline or from elsewhere:
 * an injected `<script>`, event handler or javascript: URL is refused by the browser even if
 * markup got past the sanitiser. Styles keep 'unsafe-inline' because SurveyJS and CodeMirror set
 * inline styles (and a nonce in style-src would switch 'unsafe-inline' off).
 * Development adds 'unsafe-eval', which React's dev build needs for its error overlay.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
