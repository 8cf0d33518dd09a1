'use client';

import { Button, Empty } from 'antd';

/** An empty list says what it is and what to do next, with the link that does it. */
export function EmptyState({ title, next, action }: { title: string; next: string; action?: { href: string; label: string } }) {
  return (
    <Empty
      data-testid="empty"
      description={
        <>
          <strong>{title}</strong>
          <br />
          <span className="muted">{next}</span>
        </>
      }
    >
      {action && (
        <Button type="primary" href={action.href}>
          {action.label}
        </Button>
      )}
    </Empty>
  );
}
