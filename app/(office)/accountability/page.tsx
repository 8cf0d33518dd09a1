import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { ApiForm } from '@/app/_components/api-form';
import { listRecords } from '@/lib/accountability/records';
import { listTypes } from '@/lib/accountability/types';
import { requirePageSession } from '@/lib/auth/current';
import { unitIdsInScope } from '@/lib/auth/scope';
import { shanghaiDay } from '@/lib/campaigns/campaigns';
import { getDb } from '@/lib/db/client';
import { ASSESSMENT_GRADES, staff, units } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

const PER_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOr = (s: string | undefined) => (s && UUID.test(s) ? s : undefined);

/**
 * 效能问责 (office only): the records of the office's units with filters, revoking one with a
 * reason, recording a measure (prefilled from a complaint or a ledger item: ?complaintId=,
 * ?ledgerItemId=, ?staffId=), and the office's list of measure kinds with the grade each caps.
 */
export default async function AccountabilityPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/accountability', ['office']);
  const t = await getTranslations('accountability');
  const ta = await getTranslations('assessment');
  const db = await getDb();
  const search = await searchParams;
  const page = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const year = /^\d{4}$/.test(search.year ?? '') ? search.year : undefined;
  const status = search.status === 'active' || search.status === 'revoked' ? search.status : undefined;
  const typeFilter = uuidOr(search.typeId);
  const { types } = await listTypes(db, session.scope);
  const list = await listRecords(db, session.scope, {
    page: String(page),
    limit: String(PER_PAGE),
    ...(q ? { q } : {}),
    ...(year ? { year } : {}),
    ...(status ? { status } : {}),
    ...(typeFilter ? { typeId: typeFilter } : {}),
  });
  const people = await db
    .select({ id: staff.id, name: staff.name, staffNo: staff.staffNo, unitName: units.name })
    .from(staff)
    .innerJoin(units, eq(units.id, staff.unitId))
    .where(and(inArray(staff.unitId, await unitIdsInScope(db, session.scope)), eq(staff.active, true)))
    .orderBy(asc(units.sortOrder), asc(units.name), asc(staff.name));
  const link = { complaintId: uuidOr(search.complaintId), ledgerItemId: uuidOr(search.ledgerItemId), campaignId: uuidOr(search.campaignId) };
  const prefillStaff = uuidOr(search.staffId);
  const grade = (g: string | null) => (g ? ta(`grades.${g}`) : t('noCap'));
  const schools = [...new Set(people.map((p) => p.unitName))];
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <form method="get" className="card">
        <label>
          {t('year')} <input name="year" type="number" min={2000} max={2100} defaultValue={year ?? ''} style={{ width: '8em' }} />
        </label>
        <label>
          {t('type')}
          <select name="typeId" defaultValue={typeFilter ?? ''}>
            <option value="">{t('all')}</option>
            {types.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {ty.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('status')}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">{t('all')}</option>
            <option value="active">{t('active')}</option>
            <option value="revoked">{t('revoked')}</option>
          </select>
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      {list.records.length === 0 ? (
        <EmptyState title={t('none')} next={t('noneNext')} />
      ) : (
        <section className="card">
          <table>
            <thead>
              <tr>
                <th>{t('decidedOn')}</th>
                <th>{t('person')}</th>
                <th>{t('type')}</th>
                <th>{t('reason')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.records.map((r) => (
                <tr key={r.id} data-record={r.id}>
                  <td>{r.decidedOn}</td>
                  <td>
                    {r.staffName}（{r.staffNo}）<div className="muted">{r.unitName}</div>
                  </td>
                  <td>
                    {r.typeName}
                    {r.capGrade && <div className="muted">{t('capsAt', { grade: grade(r.capGrade) })}</div>}
                  </td>
                  <td style={{ whiteSpace: 'pre-wrap' }}>
                    {r.reason}
                    {r.complaintId && (
                      <div>
                        <Link href={`/complaints/${r.complaintId}`}>{t('fromComplaint')}</Link>
                      </div>
                    )}
                    {r.ledgerItemId && (
                      <div>
                        <Link href={`/ledger/${r.ledgerItemId}`}>{t('fromLedger', { seq: r.ledgerSeq ?? '' })}</Link>
                      </div>
                    )}
                  </td>
                  <td>
                    {r.revoked ? (
                      <>
                        <span className="tag">{t('revoked')}</span>
                        <div className="muted">{r.revokedReason}</div>
                      </>
                    ) : (
                      <details>
                        <summary>{t('revoke')}</summary>
                        <ApiForm method="POST" action={`/api/v1/accountability/records/${r.id}/revoke`} submitLabel={t('revokeSubmit')} successText={t('revokedDone')} danger>
                          <label>
                            {t('revokeReason')} <textarea name="reason" rows={2} maxLength={1000} />
                          </label>
                        </ApiForm>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListControls total={list.total} page={page} limit={PER_PAGE} q={q} placeholder={t('search')} />
        </section>
      )}
      <section className="card" id="create">
        <h2>{t('create')}</h2>
        {(link.complaintId || link.ledgerItemId) && (
          <p className="notice">
            {link.complaintId && <Link href={`/complaints/${link.complaintId}`}>{t('linkedComplaint')}</Link>}
            {link.ledgerItemId && <Link href={`/ledger/${link.ledgerItemId}`}>{t('linkedLedger')}</Link>}
          </p>
        )}
        <ApiForm method="POST" action="/api/v1/accountability/records" submitLabel={t('createSubmit')} successText={t('created')} labels={{ staffId: t('person'), typeId: t('type'), reason: t('reason'), decidedOn: t('decidedOn') }}>
          <label>
            {t('person')}
            <select name="staffId" defaultValue={prefillStaff ?? ''}>
              <option value="">—</option>
              {schools.map((s) => (
                <optgroup key={s} label={s}>
                  {people
                    .filter((p) => p.unitName === s)
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}（{p.staffNo}）
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            {t('type')}
            <select name="typeId">
              {types
                .filter((ty) => ty.active)
                .map((ty) => (
                  <option key={ty.id} value={ty.id}>
                    {ty.name}
                    {ty.capGrade ? ` · ${t('capsAt', { grade: grade(ty.capGrade) })}` : ''}
                  </option>
                ))}
            </select>
          </label>
          <label>
            {t('reason')} <textarea name="reason" rows={3} maxLength={2000} />
          </label>
          <label>
            {t('decidedOn')} <input name="decidedOn" type="date" defaultValue={shanghaiDay()} />
          </label>
          {link.complaintId && <input type="hidden" name="complaintId" value={link.complaintId} />}
          {link.ledgerItemId && <input type="hidden" name="ledgerItemId" value={link.ledgerItemId} />}
          {link.campaignId && <input type="hidden" name="campaignId" value={link.campaignId} />}
        </ApiForm>
      </section>
      <section className="card">
        <h2>{t('types')}</h2>
        <p className="muted">{t('typesHelp')}</p>
        {types.map((ty) => (
          <ApiForm key={ty.id} method="PATCH" action={`/api/v1/accountability/types/${ty.id}`} submitLabel={t('save')} successText={t('saved')}>
            <label>
              {t('typeName')} <input name="name" defaultValue={ty.name} maxLength={20} />
            </label>
            <label>
              {t('cap')}
              <select name="capGrade" data-type="json" defaultValue={JSON.stringify(ty.capGrade)}>
                <option value="null">{t('noCap')}</option>
                {ASSESSMENT_GRADES.map((g) => (
                  <option key={g} value={JSON.stringify(g)}>
                    {grade(g)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('sortOrder')} <input name="sortOrder" type="number" data-type="number" min={0} max={1000} defaultValue={ty.sortOrder} style={{ width: '6em' }} />
            </label>
            <label className="inline-check">
              <input type="checkbox" name="active" defaultChecked={ty.active} style={{ display: 'inline-block', width: 'auto' }} /> {t('typeActive')}
            </label>
          </ApiForm>
        ))}
        <h3>{t('addType')}</h3>
        <ApiForm method="POST" action="/api/v1/accountability/types" submitLabel={t('addTypeSubmit')} successText={t('saved')}>
          <label>
            {t('typeName')} <input name="name" maxLength={20} />
          </label>
          <label>
            {t('cap')}
            <select name="capGrade" data-type="json" defaultValue="null">
              <option value="null">{t('noCap')}</option>
              {ASSESSMENT_GRADES.map((g) => (
                <option key={g} value={JSON.stringify(g)}>
                  {grade(g)}
                </option>
              ))}
            </select>
          </label>
        </ApiForm>
      </section>
    </>
  );
}
