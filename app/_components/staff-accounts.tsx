'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useHydrated } from './use-hydrated';

interface Account {
  staffNo: string;
  name: string;
  unitName: string;
  username: string;
  password: string;
}
interface Result {
  unit: { id: string; name: string };
  loginUrl: string;
  accounts: Account[];
  xlsxBase64: string | null;
}

/**
 * "Create missing accounts" on the org page: one call to POST /api/v1/staff/accounts. The initial
 * passwords live only in this component's state: shown once as A4 cut-out slips and an xlsx made
 * by the server in the same answer; leaving the page forgets them.
 */
export function StaffAccounts({ defaultUnit }: { defaultUnit: string }) {
  const t = useTranslations('org');
  const locale = useLocale();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const unit = String(new FormData(event.currentTarget).get('unit') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/v1/staff/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': locale },
        body: JSON.stringify(unit ? { unit } : {}),
      });
      const data = await res.json();
      if (!res.ok) {
        const e = data.error as { message: string; fields?: Record<string, string[]> };
        setError([e.message, ...Object.values(e.fields ?? {}).flat()].join(' '));
        return;
      }
      setResult(data as Result);
      router.refresh();
    } catch {
      setError(t('networkError'));
    } finally {
      setBusy(false);
    }
  }

  const xlsxHref = result?.xlsxBase64 ? `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${result.xlsxBase64}` : null;
  return (
    <>
      <form onSubmit={submit} className="no-print inline">
        <label>
          {t('accountsUnit')} <input name="unit" defaultValue={defaultUnit} />
        </label>{' '}
        <button type="submit" disabled={busy || !hydrated}>
          {t('accountsCreate')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error no-print">
          {error}
        </p>
      )}
      {result && (
        <>
          <p role="status" className="ok no-print">
            {result.accounts.length ? t('accountsCreated', { count: result.accounts.length, unit: result.unit.name }) : t('accountsNone', { unit: result.unit.name })}
          </p>
          {result.accounts.length > 0 && (
            <>
              <p className="no-print actions">
                <button type="button" onClick={() => window.print()}>
                  {t('accountsPrint')}
                </button>{' '}
                {xlsxHref && (
                  <a href={xlsxHref} download={`accounts-${result.unit.name}.xlsx`}>
                    {t('accountsDownload')}
                  </a>
                )}
              </p>
              <div className="sheet account-slips">
                {result.accounts.map((a) => (
                  <div key={a.username} className="slip account-slip" data-username={a.username}>
                    <div className="slip-text">
                      <strong>{t('slipTitle')}</strong>
                      <span>
                        {a.name}（{a.staffNo}） {a.unitName}
                      </span>
                      <span>
                        {t('slipUsername')}: <code>{a.username}</code>
                      </span>
                      <span>
                        {t('slipPassword')}: <code className="password">{a.password}</code>
                      </span>
                      <span>
                        {t('slipAddress')}: {result.loginUrl}
                      </span>
                      <small>{t('slipNote')}</small>
                    </div>
                  </div>
                ))}
              </div>
            </>
          )}
        </>
      )}
    </>
  );
}
