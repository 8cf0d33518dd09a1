import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'drizzle/**', 'next-env.d.ts'] },
  {
    // app/_components/link.tsx prefetches on intent, not on sight (a page view would render every
    // linked page on the server)
    files: ['app/**/*.tsx', 'lib/**/*.tsx'],
    ignores: ['app/_components/link.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'next/link', message: "Use '@/app/_components/link': it prefetches on hover or focus, not on sight." }] }] },
  },
];

export default config;
