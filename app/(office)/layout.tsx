import { AntdRegistry } from '@ant-design/nextjs-registry';
import { getLocale, getTranslations } from 'next-intl/server';
import { currentSession } from '@/lib/auth/current';
import type { Role } from '@/lib/db/schema';
import { OfficeShell, type NavGroup } from './_components/office-shell';
import './office.css';

/**
 * The frame of logged-in pages (Ant Design, see office-shell.tsx); each page checks its own access
 * (requirePageSession), the menu only leaves out what the role cannot open.
 */
export default async function OfficeLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  if (!session) return children;
  const t = await getTranslations('nav');
  const locale = await getLocale();
  const groups = navGroups(session.user.role, Boolean(session.user.staffId), t);
  const segments: Record<string, string> = {
    rounds: t('rounds'), results: t('results'), org: t('org'), templates: t('templates'), assessment: t('assessment'), account: t('account'),
    admin: t('admin'), users: t('users'), 'api-keys': t('apiKeys'), audit: t('audit'), new: t('new'), slips: t('slips'), schools: t('schools'),
    teachers: t('teachers'), report: t('report'), me: t('me'), 'self-reports': t('selfReports'), 'ballot-lists': t('ballotLists'),
    complaints: t('complaints'), campaigns: t('campaigns'), deliverables: t('campaigns'), stats: t('complaintStats'), ledger: t('ledger'), commitments: t('commitments'),
    accountability: t('accountability'), calendar: t('calendar'),
  };
  return (
    <AntdRegistry>
      <OfficeShell
        locale={locale}
        groups={groups}
        userName={session.user.displayName}
        text={{ sideMenu: t('sideMenu'), breadcrumb: t('breadcrumb'), userMenu: t('userMenu'), account: t('account'), logout: t('logout'), home: t('home'), detail: t('detail'), segments }}
      >
        {children}
      </OfficeShell>
    </AntdRegistry>
  );
}

/** The side menu, grouped by task; entries a role cannot open are left out. */
function navGroups(role: Role, staff: boolean, t: (key: string) => string): NavGroup[] {
  const office = role === 'office';
  const manager = office || role === 'school_admin';
  const groups: (NavGroup | false)[] = [
    {
      key: 'rounds',
      label: t('menuRounds'),
      items: [
        { href: '/rounds', label: t('menuRoundList') },
        ...(office ? [{ href: '/rounds/new', label: t('menuNewRound') }, { href: '/rounds/ballot-lists', label: t('ballotLists') }] : []),
        ...(manager ? [{ href: '/self-reports', label: t('selfReports') }] : []),
      ],
    },
    { key: 'results', label: t('menuResults'), items: [{ href: '/results', label: t('results') }] },
    manager && { key: 'org', label: t('menuOrg'), items: [{ href: '/org', label: t('org') }] },
    manager && {
      key: 'templates',
      label: t('menuTemplates'),
      items: [{ href: '/templates', label: t('menuTemplateList') }, ...(office ? [{ href: '/templates/new', label: t('menuNewTemplate') }] : [])],
    },
    role !== 'supervisor' && { key: 'assessment', label: t('menuAssessment'), items: [{ href: '/assessment', label: t('assessment') }] },
    // the 效能风暴行动 pages (the rectification ledger and commitments get their entries here too)
    {
      key: 'campaign',
      label: t('menuCampaign'),
      items: [
        { href: '/campaigns', label: t('campaigns') },
        ...(manager ? [{ href: '/complaints', label: t('complaints') }] : []),
        ...(manager || role === 'supervisor' ? [{ href: '/ledger', label: t('ledger') }, { href: '/commitments', label: t('commitments') }] : []),
        ...(office || role === 'supervisor' ? [{ href: '/complaints/stats', label: t('complaintStats') }] : []),
        ...(office ? [{ href: '/accountability', label: t('accountability') }] : []),
      ],
    },
    office && {
      key: 'admin',
      label: t('menuAdmin'),
      items: [
        { href: '/admin/users', label: t('users') },
        { href: '/admin/api-keys', label: t('apiKeys') },
        { href: '/admin/audit', label: t('audit') },
        { href: '/admin/calendar', label: t('calendar') },
      ],
    },
    { key: 'me', label: t('account'), items: [...(staff ? [{ href: '/me', label: t('me') }] : []), { href: '/account', label: t('account') }] },
  ];
  return groups.filter((g): g is NavGroup => Boolean(g));
}
