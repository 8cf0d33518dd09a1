import { describe, expect, it } from 'vitest';
import en from '@/lib/i18n/messages/en.json';
import zhCN from '@/lib/i18n/messages/zh-CN.json';

function keys(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('message catalogue', () => {
  it('has the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const get = (o: unknown, k: string) => k.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)[p], o) as string;
    for (const k of keys(zhCN)) expect(placeholders(get(en, k)), k).toEqual(placeholders(get(zhCN, k)));
  });
});
