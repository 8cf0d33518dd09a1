'use client';

import { App } from 'antd';
import type { ComponentProps } from 'react';
import { ApiForm } from '@/app/_components/api-form';

/**
 * An ApiForm for an irreversible action (closing a round early, wiping test answers): a Modal.confirm
 * says what will happen and nothing is sent unless the user confirms.
 */
export function ConfirmApiForm({ title, content, okText, cancelText, ...props }: Omit<ComponentProps<typeof ApiForm>, 'confirm'> & { title: string; content: string; okText: string; cancelText: string }) {
  const { modal } = App.useApp();
  const confirm = () =>
    new Promise<boolean>((resolve) => {
      modal.confirm({ title, content, okText, cancelText, okButtonProps: { danger: true }, onOk: () => resolve(true), onCancel: () => resolve(false) });
    });
  return <ApiForm {...props} confirm={confirm} />;
}
