import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import type { CommitmentJson } from '@/lib/commitments/commitments';

/**
 * The next steps the caller may take on a commitment (from its `actions`), each a small form
 * calling the API: edit and resubmit, approve, return with a reason, report fulfilment, confirm.
 * Used by the office page and the staff workspace alike.
 */
export async function CommitmentActions({ c }: { c: Pick<CommitmentJson, 'id' | 'body' | 'dueOn' | 'actions'> }) {
  if (!c.actions.length) return null;
  const t = await getTranslations('commitments');
  const action = `/api/v1/commitments/${c.id}/actions`;
  return (
    <div className="commitment-actions" data-commitment-actions={c.id}>
      {c.actions.includes('approve') && (
        <ApiForm method="POST" action={action} submitLabel={t('approve')} successText={t('done')}>
          <input type="hidden" name="action" value="approve" />
        </ApiForm>
      )}
      {c.actions.includes('reject') && (
        <details>
          <summary>{t('reject')}</summary>
          <ApiForm method="POST" action={action} submitLabel={t('reject')} successText={t('done')} danger>
            <input type="hidden" name="action" value="reject" />
            <label>
              {t('fields.reason')} <textarea name="reason" rows={2} maxLength={1000} />
            </label>
          </ApiForm>
        </details>
      )}
      {c.actions.includes('confirm') && (
        <details>
          <summary>{t('confirm')}</summary>
          <ApiForm method="POST" action={action} submitLabel={t('confirmSubmit')} successText={t('done')}>
            <input type="hidden" name="action" value="confirm" />
            <label>
              {t('fields.result')}
              <select name="result" defaultValue="fulfilled">
                <option value="fulfilled">{t('statuses.fulfilled')}</option>
                <option value="unfulfilled">{t('statuses.unfulfilled')}</option>
              </select>
            </label>
            <label>
              {t('fields.remark')} <textarea name="remark" rows={2} maxLength={1000} />
            </label>
          </ApiForm>
        </details>
      )}
      {c.actions.includes('report') && (
        <details>
          <summary>{t('report')}</summary>
          <ApiForm method="POST" action={action} submitLabel={t('reportSubmit')} successText={t('reported')}>
            <input type="hidden" name="action" value="report" />
            <label>
              {t('fields.fulfilment')} <textarea name="fulfilment" rows={3} maxLength={2000} />
            </label>
          </ApiForm>
        </details>
      )}
      {c.actions.includes('edit') && (
        <details>
          <summary>{t('edit')}</summary>
          <ApiForm method="PATCH" action={`/api/v1/commitments/${c.id}`} submitLabel={t('editSubmit')} successText={t('saved')}>
            <label>
              {t('fields.body')} <textarea name="body" rows={3} maxLength={500} defaultValue={c.body} />
            </label>
            <label>
              {t('fields.dueOn')} <input name="dueOn" type="date" defaultValue={c.dueOn} />
            </label>
          </ApiForm>
        </details>
      )}
    </div>
  );
}

/** A new commitment: the caller's own (staff), or the school's (a school admin). */
export async function NewCommitmentForm({ kind }: { kind: 'personal' | 'school' }) {
  const t = await getTranslations('commitments');
  return (
    <ApiForm method="POST" action="/api/v1/commitments" submitLabel={t('createSubmit')} successText={t('created')}>
      <input type="hidden" name="kind" value={kind} />
      <label>
        {t('fields.body')} <textarea name="body" rows={3} maxLength={500} />
      </label>
      <label>
        {t('fields.dueOn')} <input name="dueOn" type="date" />
      </label>
    </ApiForm>
  );
}
