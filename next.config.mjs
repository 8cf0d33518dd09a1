import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

// Pages get their Content-Security-Policy from proxy.ts, with a fresh nonce per request
// (lib/http/csp.ts). Responses the proxy does not see — the JSON API and build assets — get the same
// policy without a nonce, so nothing there may run inline either.
const fixedCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: fixedCsp }] },
      { source: '/_next/:path*', headers: [{ key: 'Content-Security-Policy', value: fixedCsp }] },
      {
        // HSTS everywhere but on localhost, where there is no TLS
        source: '/:path*',
        missing: [{ type: 'host', value: '(localhost|127\\.0\\.0\\.1|\\[::1\\])' }],
        headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }],
      },
    ];
  },
  // PGlite (and pglite-tools' pg_dump) load their WebAssembly and data files from their own package
  // directory at run time, and postgres.js / argon2 are Node-only: keep them out of the server bundle.
  // jsdom (the server's window for DOMPurify, lib/surveys/sanitize.ts) reads its own files at run time.
  // pdfkit reads its standard-font metrics, and lib/pdf/document.ts the CJK font, from their package folders.
  serverExternalPackages: ['pdfkit', '@embedpdf/fonts-sc', '@electric-sql/pglite', '@electric-sql/pglite-tools', 'postgres', '@node-rs/argon2', '@node-rs/jieba', 'jsdom'],
  poweredByHeader: false,
  // forbidden() answers 403 on a results page the caller may not see (another teacher, another school)
  experimental: { authInterrupts: true },
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
