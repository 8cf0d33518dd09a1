import type { Metadata, Viewport } from 'next';
import Link from '@/app/_components/link';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { currentSession } from '@/lib/auth/current';
import { AccountLink } from './_components/account-link';
import { LocaleSwitcher } from './_components/locale-switcher';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return {
    title: `${t('name')} · ${t('tagline')}`,
    description: t('tagline'),
    // the manifest names no start_url, so "add to home screen" on an answering page reopens that page
    manifest: '/manifest.webmanifest',
    icons: { icon: [{ url: '/favicon.svg', type: 'image/svg+xml' }, { url: '/icon-192.png', sizes: '192x192' }], apple: '/apple-touch-icon.png' },
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#1a5fb4' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations('app');
  const tn = await getTranslations('nav');
  const session = await currentSession();
  return (
    <html lang={locale === 'zh-CN' ? 'zh-CN' : 'en'}>
      <body>
        <NextIntlClientProvider>
          <a className="skip" href="#main">
            {t('skipToContent')}
          </a>
          <header className="topbar">
            <Link href="/" className="brand">
              {t('name')}
            </Link>
            <span className="tagline">{t('tagline')}</span>
            <AccountLink href={session ? '/account' : '/login'} label={session ? session.user.displayName : tn('login')} />
            <LocaleSwitcher />
          </header>
          <main id="main">{children}</main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
