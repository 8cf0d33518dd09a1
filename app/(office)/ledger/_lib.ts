/** The ledger's page helpers: the address of a prefilled new item, and reading it back. */

export interface LedgerPrefill {
  unitId?: string;
  sourceRoundId?: string;
  sourceQuestion?: string;
  sourceDetail?: string;
  problem?: string;
  complaintId?: string;
  responsibleStaffId?: string;
}
const KEYS = ['unitId', 'sourceRoundId', 'sourceQuestion', 'sourceDetail', 'problem', 'complaintId', 'responsibleStaffId'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDS = new Set<string>(['unitId', 'sourceRoundId', 'complaintId', 'responsibleStaffId']);
const LIMITS: Record<string, number> = { sourceQuestion: 200, sourceDetail: 500, problem: 2000 };

/** /ledger?new=1&… opens the ledger with the new-item form filled in (the API checks everything again on submit). */
export function newLedgerItemHref(p: LedgerPrefill): string {
  const qs = new URLSearchParams({ new: '1' });
  for (const k of KEYS) if (p[k]) qs.set(k, p[k]!.slice(0, LIMITS[k] ?? 100));
  return `/ledger?${qs.toString()}#new-item`;
}

/** The prefill of a /ledger address, only well-formed values; null without `new=1`. */
export function readPrefill(search: Record<string, string | undefined>): LedgerPrefill | null {
  if (search.new !== '1') return null;
  const out: LedgerPrefill = {};
  for (const k of KEYS) {
    const v = search[k]?.trim();
    if (!v) continue;
    if (IDS.has(k) ? UUID.test(v) : true) out[k] = IDS.has(k) ? v : v.slice(0, LIMITS[k] ?? 100);
  }
  return out;
}
