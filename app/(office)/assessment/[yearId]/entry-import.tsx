'use client';

import { useLocale } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Uploads a 平时考核 sheet: check first (dry run), then import; lists every issue of a refused file. */
export function EntryImport({ yearId, labels }: { yearId: string; labels: { check: string; importNow: string } }) {
  const locale = useLocale();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  async function send(dryRun: boolean) {
    if (!file) return;
    const form = new FormData();
    form.set('file', file);
    const res = await fetch(`/api/v1/assessment-years/${yearId}/entries/import?dryRun=${dryRun}`, { method: 'POST', body: form, headers: { 'accept-language': locale } });
    const data = await res.json();
    if (!res.ok) setMessages([data.error.message, ...((data.error.issues ?? []) as { message: string }[]).map((i) => i.message)]);
    else {
      setMessages([`✓ ${data.checked}`]);
      if (!dryRun) router.refresh();
    }
  }
  return (
    <div>
      <input type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <button type="button" onClick={() => send(true)}>
        {labels.check}
      </button>
      <button type="button" onClick={() => send(false)}>
        {labels.importNow}
      </button>
      {messages.length > 0 && (
        <ul role="status">
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
