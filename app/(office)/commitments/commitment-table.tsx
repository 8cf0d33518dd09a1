'use client';

import { Table, Tag } from 'antd';
import type { ReactNode } from 'react';

export interface CommitmentRow {
  id: string;
  unitName: string;
  who: string;
  body: string;
  dueOn: string;
  overdue: boolean;
  status: string;
  remark: string | null;
  fulfilment: string | null;
}

/**
 * The commitments of the office page as an antd table; the step forms of each row are rendered on
 * the server (they call the API) and handed in as `actions`.
 */
export function CommitmentTable({
  rows,
  actions,
  labels,
}: {
  rows: CommitmentRow[];
  actions: Record<string, ReactNode>;
  labels: { unit: string; person: string; body: string; dueOn: string; status: string; fulfilment: string; actions: string; overdue: string };
}) {
  return (
    <Table<CommitmentRow>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      rowClassName={(r) => (r.overdue ? 'selected' : '')}
      onRow={(r) => ({ 'data-commitment': r.id }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { key: 'unit', title: labels.unit, dataIndex: 'unitName' },
        { key: 'who', title: labels.person, dataIndex: 'who' },
        { key: 'body', title: labels.body, dataIndex: 'body', render: (v: string) => <div style={{ whiteSpace: 'pre-wrap', minWidth: '16em' }}>{v}</div> },
        {
          key: 'dueOn',
          title: labels.dueOn,
          render: (_, r) => (
            <>
              {r.dueOn} {r.overdue && <Tag color="red">{labels.overdue}</Tag>}
            </>
          ),
        },
        {
          key: 'status',
          title: labels.status,
          render: (_, r) => (
            <>
              {r.status}
              {r.remark && <div className="muted">{r.remark}</div>}
            </>
          ),
        },
        { key: 'fulfilment', title: labels.fulfilment, render: (_, r) => <div style={{ whiteSpace: 'pre-wrap', minWidth: '10em' }}>{r.fulfilment ?? '—'}</div> },
        { key: 'actions', title: labels.actions, render: (_, r) => actions[r.id] ?? null },
      ]}
    />
  );
}
