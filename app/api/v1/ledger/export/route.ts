import { exportLedgerEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { ledgerWorkbook } from '@/lib/ledger/export';

export const dynamic = 'force-dynamic';

export const GET = handle(exportLedgerEndpoint, async ({ db, caller, query, locale }) => {
  const bytes = await ledgerWorkbook(db, caller, query, locale);
  const name = `整改台帐-${new Date().toISOString().slice(0, 10)}.xlsx`;
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    },
  });
});
