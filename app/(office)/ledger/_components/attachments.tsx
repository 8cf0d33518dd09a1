'use client';

import { App, Button, Upload, type UploadFile } from 'antd';
import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';

interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  uploadedBy: string | null;
  removable: boolean;
}

/**
 * A ledger item's evidence (佐证材料) as an antd Upload list: each file through the same API as
 * automation (POST multipart, GET, DELETE /api/v1/ledger/{id}/attachments…), the server's
 * message shown for a refused file.
 */
type State = { attachments: Attachment[]; canUpload: boolean; max: number };

export function LedgerAttachments({ itemId, initial }: { itemId: string; initial: State }) {
  const t = useTranslations('ledgerExtras');
  const locale = useLocale();
  const { message } = App.useApp();
  const base = `/api/v1/ledger/${itemId}/attachments`;
  const [state, setState] = useState<State>(initial);
  const load = async () => {
    const res = await fetch(base, { headers: { 'accept-language': locale } });
    if (res.ok) setState(await res.json());
  };
  const errorOf = async (res: Response) => {
    const data = (await res.json().catch(() => null)) as { error?: { message: string; fields?: Record<string, string[]> } } | null;
    return data?.error?.fields?.file?.join(' ') ?? data?.error?.message ?? t('uploadFailed');
  };
  const files: UploadFile[] = state.attachments.map((a) => ({
    uid: a.id,
    name: `${a.filename}（${Math.max(1, Math.round(a.size / 1024))} KB${a.uploadedBy ? ` · ${a.uploadedBy}` : ''}）`,
    status: 'done',
    url: `${base}/${a.id}`,
    thumbUrl: a.contentType.startsWith('image/') ? `${base}/${a.id}?inline=1` : undefined,
  }));
  const removable = new Set(state.attachments.filter((a) => a.removable).map((a) => a.id));
  return (
    <div data-testid="ledger-attachments">
      <p className="muted">{t('attachmentsHelp', { max: state.max })}</p>
      {!state.attachments.length && <p>{t('noAttachments')}</p>}
      <Upload
        listType="picture"
        fileList={files}
        accept="image/jpeg,image/png,image/webp,application/pdf"
        showUploadList={{ showRemoveIcon: (file) => removable.has(file.uid) }}
        customRequest={async ({ file, onSuccess, onError }) => {
          const form = new FormData();
          form.set('file', file as File);
          const res = await fetch(base, { method: 'POST', body: form, headers: { 'accept-language': locale } });
          if (res.ok) {
            message.success(t('uploaded', { name: (file as File).name }));
            onSuccess?.(null);
          } else {
            const text = await errorOf(res);
            message.error(text);
            onError?.(new Error(text));
          }
          await load();
        }}
        onRemove={async (file) => {
          const res = await fetch(`${base}/${file.uid}`, { method: 'DELETE', headers: { 'accept-language': locale } });
          if (res.ok) message.success(t('removed'));
          else message.error(await errorOf(res));
          await load();
          return false;
        }}
      >
        {state.canUpload && <Button>{t('upload')}</Button>}
      </Upload>
    </div>
  );
}
