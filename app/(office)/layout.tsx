import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { currentSession } from '@/lib/auth/current';

/** Navigation for logged-in pages; each page checks its own access (requirePageSession). */
export default async function OfficeLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations('nav');
  const session = await currentSession();
  const office = session?.user.role === 'office';
  return (
    <>
      {session && (
        <nav className="subnav" aria-label="main">
          <Link href="/">{t('home')}</Link>
          {session.user.staffId && <Link href="/me">{t('me')}</Link>}
          <Link href="/account">{t('account')}</Link>
          <Link href="/rounds">{t('rounds')}</Link>
          <Link href="/results">{t('results')}</Link>
          {(office || session.user.role === 'school_admin') && <Link href="/org">{t('org')}</Link>}
          {(office || session.user.role === 'school_admin') && <Link href="/templates">{t('templates')}</Link>}
          {session.user.role !== 'supervisor' && <Link href="/assessment">{t('assessment')}</Link>}
          {(office || session.user.role === 'school_admin') && <Link href="/self-reports">{t('selfReports')}</Link>}
          {office && <Link href="/admin/users">{t('users')}</Link>}
          {office && <Link href="/admin/api-keys">{t('apiKeys')}</Link>}
          {office && <Link href="/admin/audit">{t('audit')}</Link>}
        </nav>
      )}
      {children}
    </>
  );
}
