'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

interface Issue {
  message: string;
}
type Summary = Record<string, { created: number; updated: number; unchanged: number; deactivated: number }>;

/** POSTs a file with upload progress (XMLHttpRequest reports it; fetch does not). */
function upload(url: string, file: File, locale: string, onProgress: (p: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('accept-language', locale);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText || 'null') });
    xhr.onerror = () => reject(new Error('network'));
    const form = new FormData();
    form.set('file', file);
    xhr.send(form);
  });
}

/**
 * Roster upload: the file is checked first (dry run) and the summary shown; only then is it
 * applied. Progress shows the upload and then the server's work.
 */
export function RosterImport() {
  const t = useTranslations('org');
  const locale = useLocale();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'checking' | 'checked' | 'applying' | 'done'>('idle');
  const [progress, setProgress] = useState(0);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);

  async function run(dryRun: boolean) {
    if (!file) return;
    setIssues(null);
    setMessage(null);
    setProgress(0);
    setPhase('uploading');
    try {
      const res = await upload(`/api/v1/roster/import?dryRun=${dryRun}`, file, locale, (p) => {
        setProgress(p);
        if (p >= 1) setPhase(dryRun ? 'checking' : 'applying');
      });
      const body = res.body as { summary?: Summary; error?: { message: string; issues?: Issue[]; fields?: Record<string, string[]> } };
      if (res.status >= 400) {
        setMessage(body.error?.message ?? String(res.status));
        setIssues(body.error?.issues ?? []);
        setPhase('idle');
        return;
      }
      setSummary(body.summary ?? null);
      setPhase(dryRun ? 'checked' : 'done');
      if (!dryRun) router.refresh();
    } catch {
      setMessage(t('networkError'));
      setPhase('idle');
    }
  }

  const busy = phase === 'uploading' || phase === 'checking' || phase === 'applying';
  return (
    <div className="roster-import">
      <label>
        {t('chooseFile')}
        <input
          type="file"
          name="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setPhase('idle');
            setSummary(null);
            setIssues(null);
            setMessage(null);
          }}
        />
      </label>
      <button type="button" disabled={!file || busy} onClick={() => run(true)}>
        {t('check')}
      </button>{' '}
      <button type="button" disabled={phase !== 'checked' || busy} onClick={() => run(false)}>
        {t('apply')}
      </button>
      {busy && (
        <p role="status">
          <progress max={1} value={phase === 'uploading' ? progress : undefined} aria-label={t('progress')} />{' '}
          {phase === 'uploading' ? `${t('uploading')} ${Math.round(progress * 100)}%` : t(phase === 'checking' ? 'checking' : 'applying')}
        </p>
      )}
      {message && (
        <div role="alert" className="error">
          <p>{message}</p>
          {issues && issues.length > 0 && (
            <ol className="issues">
              {issues.map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
            </ol>
          )}
        </div>
      )}
      {summary && (
        <div role="status" className="ok" data-phase={phase}>
          <p>{phase === 'done' ? t('applied') : t('checkedOk')}</p>
          <table>
            <thead>
              <tr>
                <th>{t('sheet')}</th>
                <th className="num">{t('created')}</th>
                <th className="num">{t('updated')}</th>
                <th className="num">{t('unchanged')}</th>
                <th className="num">{t('deactivated')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(summary).map(([sheet, s]) => (
                <tr key={sheet} data-sheet={sheet}>
                  <td>{t(`sheets.${sheet}`)}</td>
                  <td className="num">{s.created}</td>
                  <td className="num">{s.updated}</td>
                  <td className="num">{s.unchanged}</td>
                  <td className="num">{s.deactivated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
