import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { ApiForm } from '@/app/_components/api-form';
import { RosterImport } from '@/app/_components/roster-import';
import { StaffAccounts } from '@/app/_components/staff-accounts';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { getUnit, listAssignments, listClasses, listStaff, listUnits, resettableLogins } from '@/lib/org/queries';
import { POSITIONS } from '@/lib/org/roster/sheets';
import { currentSchoolYear } from '@/lib/seed/demo';

export const dynamic = 'force-dynamic';

const PER_PAGE = 100;

const TABS = ['classes', 'staff', 'assignments', 'schools'] as const;
type Tab = (typeof TABS)[number];

export default async function OrgPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/org', ['office', 'school_admin']);
  const t = await getTranslations('org');
  const q = await searchParams;
  const tab: Tab = TABS.includes(q.tab as Tab) ? (q.tab as Tab) : 'classes';
  const db = await getDb();
  const scope = session.scope;
  const yes = (b: boolean) => (b ? t('activeYes') : t('activeNo'));
  const office = scope.role === 'office';

  let body: React.ReactNode;
  if (tab === 'classes') {
    const rows = await listClasses(db, scope);
    body = (
      <>
        <p className="muted">{t('count', { count: rows.length })}</p>
        <table>
          <thead>
            <tr>
              <th>{t('school')}</th>
              <th>{t('className')}</th>
              <th className="num">{t('grade')}</th>
              <th className="num">{t('expectedStudents')}</th>
              <th className="num">{t('expectedParents')}</th>
              <th>{t('active')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ c, schoolName }) => (
              <tr key={c.id}>
                <td>{schoolName}</td>
                <td>{c.name}</td>
                <td className="num">{c.grade}</td>
                <td className="num">{c.expectedStudents}</td>
                <td className="num">{c.expectedParents}</td>
                <td>{yes(c.active)}</td>
                <td>
                  <ApiForm method="PATCH" action={`/api/v1/classes/${c.id}`} submitLabel={t('save')} className="inline" labels={{ expectedStudents: t('expectedStudents'), expectedParents: t('expectedParents') }}>
                    <input name="expectedStudents" type="number" min={0} defaultValue={c.expectedStudents} data-type="number" aria-label={t('expectedStudents')} size={3} />
                    <input name="expectedParents" type="number" min={0} defaultValue={c.expectedParents} data-type="number" aria-label={t('expectedParents')} size={3} />
                  </ApiForm>
                  <ApiForm method="PATCH" action={`/api/v1/classes/${c.id}`} submitLabel={c.active ? t('deactivate') : t('activate')} className="inline">
                    <input type="hidden" name="active" value={c.active ? 'false' : 'true'} data-type="boolean" />
                  </ApiForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('addClass')}</h2>
        <ApiForm method="POST" action="/api/v1/classes" submitLabel={t('add')} labels={{ school: t('school'), name: t('className'), grade: t('grade'), expectedStudents: t('expectedStudents') }}>
          <label>
            {t('school')} <input name="school" defaultValue={scope.role === 'school_admin' ? session.unitName : ''} />
          </label>
          <label>
            {t('className')} <input name="name" placeholder="六年级(2)班" />
          </label>
          <label>
            {t('grade')} <input name="grade" type="number" min={1} max={12} data-type="number" />
          </label>
          <label>
            {t('expectedStudents')} <input name="expectedStudents" type="number" min={0} data-type="number" data-optional />
          </label>
        </ApiForm>
      </>
    );
  } else if (tab === 'staff') {
    const rows = await listStaff(db, scope, { q: q.q || undefined });
    const logins = await resettableLogins(db, scope, rows.map((r) => r.s.id));
    const ta = await getTranslations('admin');
    body = (
      <>
        <form method="get" className="inline">
          <input type="hidden" name="tab" value="staff" />
          <input name="q" defaultValue={q.q} placeholder={t('searchPlaceholder')} aria-label={t('search')} /> <button type="submit">{t('search')}</button>
        </form>
        <p className="muted">{t('count', { count: rows.length })}</p>
        <table>
          <thead>
            <tr>
              <th>{t('staffNo')}</th>
              <th>{t('name')}</th>
              <th>{t('unit')}</th>
              <th>{t('position')}</th>
              <th>{t('subjects')}</th>
              <th>{t('active')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ s, unitName }) => (
              <tr key={s.id} data-staff-no={s.staffNo}>
                <td>{s.staffNo}</td>
                <td>{s.name}</td>
                <td>{unitName}</td>
                <td>{s.position}</td>
                <td>{s.subjects.join('、')}</td>
                <td>{yes(s.active)}</td>
                <td>
                  <ApiForm method="PATCH" action={`/api/v1/staff/${s.id}`} submitLabel={s.active ? t('deactivate') : t('activate')} className="inline">
                    <input type="hidden" name="active" value={s.active ? 'false' : 'true'} data-type="boolean" />
                  </ApiForm>
                  {/* a forgotten password: a new one shown once, to be changed at the next login (audited) */}
                  {logins.has(s.id) && <ApiForm method="POST" action={`/api/v1/users/${logins.get(s.id)}/reset-password`} submitLabel={ta('resetPassword')} className="inline" />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('addStaff')}</h2>
        <ApiForm method="POST" action="/api/v1/staff" submitLabel={t('add')} labels={{ staffNo: t('staffNo'), name: t('name'), unit: t('unit'), position: t('position'), subjects: t('subjects') }}>
          <label>
            {t('staffNo')} <input name="staffNo" />
          </label>
          <label>
            {t('name')} <input name="name" />
          </label>
          <label>
            {t('unit')} <input name="unit" defaultValue={scope.role === 'school_admin' ? session.unitName : ''} />
          </label>
          <label>
            {t('position')}
            <select name="position" defaultValue="教师">
              {POSITIONS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <label>
            {t('subjects')} <input name="subjects" data-type="list" placeholder={t('subjectsHelp')} />
          </label>
        </ApiForm>
      </>
    );
  } else if (tab === 'assignments') {
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const search = q.q?.trim().slice(0, 100) || undefined;
    const rows = await listAssignments(db, scope, { q: search, page: { page, limit: PER_PAGE } });
    body = (
      <>
        <ListControls total={rows.total} page={page} limit={PER_PAGE} q={search} placeholder={t('searchAssignments')} />
        <table>
          <thead>
            <tr>
              <th>{t('school')}</th>
              <th>{t('className')}</th>
              <th>{t('subject')}</th>
              <th>{t('name')}</th>
              <th>{t('staffNo')}</th>
              <th>{t('schoolYear')}</th>
              <th>{t('headTeacher')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.a.id}>
                <td>{r.schoolName}</td>
                <td>{r.className}</td>
                <td>{r.a.subject}</td>
                <td>{r.staffName}</td>
                <td>{r.staffNo}</td>
                <td>{r.a.schoolYear}</td>
                <td>{r.a.isHeadTeacher ? t('yes') : ''}</td>
                <td>
                  <ApiForm method="DELETE" action={`/api/v1/assignments/${r.a.id}`} submitLabel={t('remove')} className="inline" danger />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('addAssignment')}</h2>
        <ApiForm method="POST" action="/api/v1/assignments" submitLabel={t('add')} labels={{ staffNo: t('staffNo'), school: t('school'), className: t('className'), subject: t('subject'), schoolYear: t('schoolYear') }}>
          <label>
            {t('staffNo')} <input name="staffNo" />
          </label>
          <label>
            {t('school')} <input name="school" defaultValue={scope.role === 'school_admin' ? session.unitName : ''} />
          </label>
          <label>
            {t('className')} <input name="className" />
          </label>
          <label>
            {t('subject')} <input name="subject" />
          </label>
          <label>
            {t('schoolYear')} <input name="schoolYear" defaultValue={currentSchoolYear()} />
          </label>
          <label>
            <input type="checkbox" name="headTeacher" /> {t('headTeacher')}
          </label>
        </ApiForm>
      </>
    );
  } else {
    const rows = (await listUnits(db, scope)).filter((u) => u.kind === 'school' || u.kind === 'office');
    const own = await getUnit(db, scope.unitId);
    // a county office adds districts; a district office schools and offices
    const kinds = own?.kind === 'county' ? (['district', 'school', 'office'] as const) : (['school', 'office'] as const);
    body = (
      <>
        <table>
          <thead>
            <tr>
              <th>{t('unitName')}</th>
              <th>{t('kind')}</th>
              <th>{t('code')}</th>
              <th>{t('active')}</th>
              {office && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{t(`kinds.${u.kind}`)}</td>
                <td>{u.code}</td>
                <td>{yes(u.active)}</td>
                {office && u.kind === 'school' && (
                  <td>
                    <ApiForm method="PATCH" action={`/api/v1/units/${u.id}`} submitLabel={u.active ? t('deactivate') : t('activate')} className="inline">
                      <input type="hidden" name="active" value={u.active ? 'false' : 'true'} data-type="boolean" />
                    </ApiForm>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {office && (
          <>
            <h2>{t('addUnit')}</h2>
            <ApiForm method="POST" action="/api/v1/units" submitLabel={t('add')} labels={{ name: t('unitName'), kind: t('kind'), parent: t('parent'), code: t('code') }}>
              <label>
                {t('unitName')} <input name="name" />
              </label>
              <label>
                {t('kind')}
                <select name="kind" defaultValue="school">
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`kinds.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('parent')} <input name="parent" placeholder={t('parentHelp')} data-optional />
              </label>
              <label>
                {t('code')} <input name="code" data-optional />
              </label>
            </ApiForm>
          </>
        )}
      </>
    );
  }

  return (
    <>
      <h1>{t('title')}</h1>
      <nav className="tabs" aria-label={t('title')}>
        {TABS.map((k) => (
          <Link key={k} href={`/org?tab=${k}`} aria-current={k === tab ? 'page' : undefined}>
            {t(`tabs.${k}`)}
          </Link>
        ))}
      </nav>
      <section className="card">{body}</section>
      {tab === 'staff' && (
        <section className="card accounts-card">
          <h2 className="no-print">{t('accountsTitle')}</h2>
          <p className="muted no-print">{t('accountsHelp')}</p>
          <StaffAccounts defaultUnit={session.unitName} />
        </section>
      )}
      <section className="card">
        <h2>{t('importTitle')}</h2>
        <p className="muted">{t('importHelp')}</p>
        <RosterImport />
        <p>
          <a href="/api/v1/roster/export?format=xlsx">{t('exportXlsx')}</a> · <a href={`/api/v1/roster/export?format=csv&sheet=${tab}`}>{t('exportCsv')}</a> ·{' '}
          <a href="/api/v1/roster/template?format=xlsx">{t('template')}</a>
        </p>
      </section>
    </>
  );
}
