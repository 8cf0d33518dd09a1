'use client';

import { Input, Pagination } from 'antd';
import { useTranslations } from 'next-intl';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

/**
 * Search box and pager for a server-paginated list: both only change the page's address (q, page),
 * the server reads one page. The parameter names can be prefixed when a page has two lists.
 */
export function ListControls({ total, page, limit, q, placeholder, prefix = '' }: { total: number; page: number; limit: number; q?: string; placeholder: string; prefix?: string }) {
  const t = useTranslations('nav');
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(`${prefix}${k}`, v);
      else next.delete(`${prefix}${k}`);
    }
    router.push(`${pathname}?${next.toString()}`, { scroll: false });
  };
  return (
    <div className="list-controls">
      <Input.Search defaultValue={q} placeholder={placeholder} aria-label={placeholder} allowClear onSearch={(value) => go({ q: value.trim() || undefined, page: undefined })} style={{ maxWidth: 320 }} />
      <Pagination current={page} pageSize={limit} total={total} showSizeChanger={false} showTotal={(n) => t('listTotal', { n })} size="small" onChange={(p) => go({ page: p > 1 ? String(p) : undefined })} />
    </div>
  );
}
