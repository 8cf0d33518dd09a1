'use client';

/** A results table the reader can sort (click a header) and search (by the first column). */
import Link from '@/app/_components/link';
import { useMemo, useState } from 'react';

export interface SortCell {
  text: string;
  /** what the column sorts by; null sorts last */
  sort: number | string | null;
  suppressed?: boolean;
}

export interface SortRow {
  key: string;
  href?: string;
  cells: SortCell[];
  /** marked, e.g. below the anonymity threshold (office view) */
  note?: string;
}

export function SortableTable({
  columns,
  rows,
  searchLabel,
  searchPlaceholder,
  testId,
}: {
  columns: { label: string; numeric?: boolean }[];
  rows: SortRow[];
  searchLabel: string;
  searchPlaceholder: string;
  testId?: string;
}) {
  const [sortBy, setSortBy] = useState<{ col: number; dir: 1 | -1 } | null>(null);
  const [q, setQ] = useState('');
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = needle ? rows.filter((r) => r.cells[0]!.text.toLowerCase().includes(needle)) : [...rows];
    if (sortBy) {
      const { col, dir } = sortBy;
      list.sort((a, b) => {
        const x = a.cells[col]!.sort;
        const y = b.cells[col]!.sort;
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN')) * dir;
      });
    }
    return list;
  }, [rows, q, sortBy]);
  return (
    <div className="sortable">
      <label className="search">
        {searchLabel} <input type="search" value={q} placeholder={searchPlaceholder} onChange={(e) => setQ(e.target.value)} />
      </label>
      <div className="table-scroll">
        <table data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th
                  key={c.label}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sortBy?.col === i ? (sortBy.dir === 1 ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="link" onClick={() => setSortBy((s) => ({ col: i, dir: s?.col === i ? (-s.dir as 1 | -1) : c.numeric ? -1 : 1 }))}>
                    {c.label}
                    {sortBy?.col === i ? (sortBy.dir === 1 ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key} title={r.note}>
                {r.cells.map((c, i) => (
                  <td key={i} className={columns[i]!.numeric ? 'num' : undefined}>
                    {c.suppressed ? <span className="suppressed">{c.text}</span> : i === 0 && r.href ? <Link href={r.href}>{c.text}</Link> : c.text}
                    {i === 0 && r.note ? <span className="tag">{r.note}</span> : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
