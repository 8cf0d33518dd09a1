'use client';

import { App, Breadcrumb, Button, ConfigProvider, Dropdown, Layout, Menu, type MenuProps } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import Link from '@/app/_components/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, useSyncExternalStore } from 'react';

export interface NavGroup {
  key: string;
  label: string;
  items: { href: string; label: string; disabled?: boolean }[];
}

export interface ShellText {
  sideMenu: string;
  breadcrumb: string;
  userMenu: string;
  account: string;
  logout: string;
  home: string;
  /** labels of path segments for the breadcrumb; a uuid segment reads as `detail` */
  segments: Record<string, string>;
  detail: string;
}

const PHONE = '(max-width: 767px)';
const noop = () => () => {};
function watchPhone(onChange: () => void) {
  const query = window.matchMedia(PHONE);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The office frame: a side menu grouped by task, breadcrumbs and the user menu, in Ant Design with
 * antd's own texts in the user's language. On a phone the side menu folds away behind a button, so
 * the page keeps the whole 390 px width. Only logged-in pages use it: public pages load no antd.
 */
/**
 * antd's default secondary text (menu group titles, breadcrumb, descriptions: 45% black, 3.4:1 on
 * white) and link blue (#1677ff, 4.0:1) fall below WCAG AA's 4.5:1, which axe reports as serious
 * (tests/e2e/accessibility.test.ts): 65% black (5.7:1) and the pages' own link blue (#0b57d0, 6.5:1).
 */
const THEME = {
  token: { colorPrimary: '#b3261e', borderRadius: 6, colorTextDescription: 'rgba(0, 0, 0, 0.65)', colorTextTertiary: 'rgba(0, 0, 0, 0.65)', colorLink: '#0b57d0', colorLinkHover: '#0842a0', colorLinkActive: '#0842a0' },
};

export function OfficeShell({ locale, groups, text, userName, children }: { locale: string; groups: NavGroup[]; text: ShellText; userName: string; children: React.ReactNode }) {
  const pathname = usePathname();
  // open on a desktop, folded on a phone; the server renders it open and a phone folds it before
  // it is shown (office.css hides an unfolded menu on a narrow screen until the browser has it)
  const phone = useSyncExternalStore(watchPhone, () => window.matchMedia(PHONE).matches, () => false);
  const ready = useSyncExternalStore(noop, () => true, () => false);
  const [toggled, setCollapsed] = useState<boolean | null>(null);
  useEffect(labelCells, []);
  const collapsed = toggled ?? phone;
  const all = groups.flatMap((g) => g.items);
  // the menu entry whose path is the longest prefix of the current page
  const selected = all
    .filter((i) => !i.disabled && (pathname === i.href || pathname.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const items: MenuProps['items'] = groups.map((g) => ({
    type: 'group',
    key: g.key,
    label: g.label,
    children: g.items.map((i) => ({ key: i.href, disabled: i.disabled, label: i.disabled ? i.label : <Link href={i.href}>{i.label}</Link> })),
  }));
  return (
    // buttons read as written: antd would put a space between two Chinese characters (取 消)
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <App className="office-shell">
        <Layout hasSider>
          <Layout.Sider
            collapsible
            collapsedWidth={0}
            collapsed={collapsed}
            onCollapse={(c) => setCollapsed(c)}
            data-ready={ready ? 'true' : undefined}
            theme="light"
            width={208}
            className="office-sider"
            zeroWidthTriggerStyle={{ top: 8 }}
          >
            <nav aria-label={text.sideMenu}>
              <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []} onClick={() => window.matchMedia(PHONE).matches && setCollapsed(true)} />
            </nav>
          </Layout.Sider>
          {/* a div, not antd's <main>: the page's one main landmark is the root layout's */}
          <div className="office-content">
            <div className="office-bar">
              <nav aria-label={text.breadcrumb} className="office-breadcrumb">
                <Breadcrumb items={crumbs(pathname, text)} />
              </nav>
              <UserMenu name={userName} text={text} />
            </div>
            {children}
          </div>
        </Layout>
      </App>
    </ConfigProvider>
  );
}

/**
 * Names every table cell after its column header (data-label), for the phone's card layout in
 * office.css; watches the page, so tables drawn later (paging, search, client components) get
 * their labels too. Only cells of tables with a header row; colspans are followed.
 */
function labelCells() {
  const root = document.querySelector('.office-content');
  if (!root) return;
  const label = () => {
    for (const table of root.querySelectorAll<HTMLTableElement>('table')) {
      const head = table.tHead?.rows[table.tHead.rows.length - 1];
      if (!head) continue;
      const names: string[] = [];
      for (const th of head.cells) for (let i = 0; i < th.colSpan; i++) names.push((th.textContent ?? '').trim());
      for (const body of table.tBodies)
        for (const row of body.rows) {
          let col = 0;
          for (const cell of row.cells) {
            const name = names[col];
            if (name && cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
            col += cell.colSpan;
          }
        }
    }
  };
  label();
  const observer = new MutationObserver(label);
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

function crumbs(pathname: string, text: ShellText) {
  const parts = pathname.split('/').filter(Boolean);
  const items: { title: React.ReactNode }[] = [{ title: <Link href="/">{text.home}</Link> }];
  parts.forEach((part, i) => {
    const href = `/${parts.slice(0, i + 1).join('/')}`;
    const label = UUID.test(part) ? text.detail : (text.segments[part] ?? part);
    // "schools" and "teachers" have no page of their own: they name the next segment
    const linkable = i < parts.length - 1 && !['schools', 'teachers', 'admin'].includes(part);
    items.push({ title: linkable ? <Link href={href}>{label}</Link> : label });
  });
  return items;
}

function UserMenu({ name, text }: { name: string; text: ShellText }) {
  const router = useRouter();
  const items: MenuProps['items'] = [
    { key: 'account', label: <Link href="/account">{text.account}</Link> },
    { type: 'divider' },
    { key: 'logout', label: text.logout, danger: true },
  ];
  async function onClick({ key }: { key: string }) {
    if (key !== 'logout') return;
    await fetch('/api/v1/session', { method: 'DELETE' });
    router.push('/login');
  }
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']}>
      <Button type="text" aria-label={`${text.userMenu}: ${name}`} aria-haspopup="menu">
        {name} ▾
      </Button>
    </Dropdown>
  );
}
