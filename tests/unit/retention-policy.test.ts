import { describe, expect, it } from 'vitest';
import { defaultRetainUntil, retainUntil } from '@/lib/retention/policy';

describe('retention period', () => {
  it('defaults to the end of the school year after next, in China time', () => {
    // 2025-2026 → next 2026-2027 → after next 2027-2028, which ends 31 August 2028
    expect(defaultRetainUntil('2025-2026').toISOString()).toBe('2028-08-31T15:59:59.000Z');
    expect(defaultRetainUntil('2026-2027').toISOString()).toBe('2029-08-31T15:59:59.000Z');
  });

  it('uses the round’s own date when it has one', () => {
    const own = new Date('2027-01-01T00:00:00Z');
    expect(retainUntil({ retainUntil: own, schoolYear: '2025-2026' })).toBe(own);
    expect(retainUntil({ retainUntil: null, schoolYear: '2025-2026' }).getUTCFullYear()).toBe(2028);
  });
});
