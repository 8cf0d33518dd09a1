import { createStaffAccountsEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { publicOrigin } from '@/lib/env';
import { accountsWorkbook, createStaffAccounts } from '@/lib/org/accounts';

export const dynamic = 'force-dynamic';

export const POST = handle(createStaffAccountsEndpoint, async ({ db, caller, body, request }) => {
  const { unit, accounts } = await createStaffAccounts(db, caller, actorOf(caller), body);
  const loginUrl = `${publicOrigin(request.headers, request.url)}/login`;
  const xlsx = accounts.length ? (await accountsWorkbook(accounts, loginUrl)).toString('base64') : null;
  return { unit: { id: unit.id, name: unit.name }, loginUrl, accounts, xlsxBase64: xlsx };
});
