/**
 * Issue 14, attack 13: the token secret sat in the same database as the hashes it protects, so a
 * database backup yielded every live token. Performed on a real database: take the "backup" (every
 * row of settings and links) and try to rebuild or reverse a live token from it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, links, settings } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { env, EnvError, resetEnv } from '@/lib/env';
import { databaseSecret, forgetDatabaseSecret, linkToken, rekeyTokenHashes, tokenHash, tokenSecret, TokenSecretMissing } from '@/lib/rounds/tokens';
import { runCli } from '../helpers/cli';
import { freshDatabase } from '../helpers/db';
import { scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;

beforeAll(async () => {
  delete process.env.PINGYI_TOKEN_SECRET;
  resetEnv();
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
});
afterAll(() => handle.close());
afterEach(() => {
  delete process.env.PINGYI_TOKEN_SECRET;
  resetEnv();
});

const useEnvSecret = (secret: string) => {
  process.env.PINGYI_TOKEN_SECRET = secret;
  resetEnv();
};

async function call(method: 'get', url: string, headers: Record<string, string> = {}, params: Record<string, string> = {}) {
  const e = ENDPOINTS.find((x) => x.method === method && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(url.split('?')[0]!))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${url}`, { headers: { 'x-forwarded-for': '10.70.0.1', ...headers } }), { params: Promise.resolve(params) });
  return { status: res.status, text: await res.text() };
}

const openForm = (token: string) => call('get', `/api/v1/respond/${token}`, {}, { token });

/** What a database backup holds that could matter: every setting and every link row. */
async function backup() {
  return { settings: await handle.db.select().from(settings), links: await handle.db.select().from(links) };
}

/** The attack: derive the token of a link from anything in the backup, or reverse its stored hash. */
function tokensFromBackup(b: Awaited<ReturnType<typeof backup>>, linkId: string, candidates: string[]): string[] {
  const row = b.links.find((l) => l.id === linkId)!;
  const found: string[] = [];
  for (const s of b.settings) if (candidates.includes(linkToken(s.value, linkId))) found.push(linkToken(s.value, linkId));
  // an unkeyed SHA-256 of a 59-bit code can be brute-forced offline; here we only check the hash is not one
  for (const c of candidates) if (createHash('sha256').update(c.toUpperCase()).digest('hex') === row.tokenHash) found.push(c);
  return found;
}

describe('attack 13: a database backup yields every live token', () => {
  it('with the secret in the database (the default) the stored hash is still keyed', async () => {
    const b = await backup();
    const roomy = b.links.find((l) => linkToken(b.settings.find((s) => s.key === 'token_secret')!.value, l.id) === fx.roomyToken)!;
    // the stored value is not the plain hash of the token
    expect(roomy.tokenHash).not.toBe(createHash('sha256').update(fx.roomyToken).digest('hex'));
  });

  it('once PINGYI_TOKEN_SECRET holds the secret, a backup holds nothing that gives a token; printed codes keep working', async () => {
    const before = await openForm(fx.roomyToken);
    expect(before.status).toBe(200);
    databaseSecretValue = (await databaseSecret(handle.db))!;
    const [roomyLink] = (await backup()).links.filter((l) => linkToken(databaseSecretValue!, l.id) === fx.roomyToken);

    // the documented move: export the database's secret into the environment, restart, forget the copy
    useEnvSecret(databaseSecretValue!);
    expect(await forgetDatabaseSecret(handle.db)).toBe(true);
    expect(await openForm(fx.roomyToken)).toMatchObject({ status: 200 });

    const b = await backup();
    expect(b.settings.map((s) => s.key)).not.toContain('token_secret');
    expect(JSON.stringify(b)).not.toContain(databaseSecretValue);
    expect(tokensFromBackup(b, roomyLink!.id, [fx.roomyToken])).toEqual([]);

    // an instance started without the variable refuses to invent a new secret (which would silently
    // invalidate every printed code) instead of answering with the wrong one
    delete process.env.PINGYI_TOKEN_SECRET;
    resetEnv();
    await expect(tokenSecret(handle.db)).rejects.toBeInstanceOf(TokenSecretMissing);
  });

  it('a new secret re-keys every stored hash at start: the old codes stop working, the new ones work', async () => {
    useEnvSecret('b'.repeat(64));
    const all = await handle.db.select().from(links);
    // the demo's staff logins have account places (colleague ballots answered from /me): their
    // random hashes match no token, and re-keying must not give them one
    const places = all.filter((l) => l.kind === 'account');
    expect(places.length).toBeGreaterThan(0);
    expect(await rekeyTokenHashes(handle.db)).toBe(all.length - places.length);
    expect(await rekeyTokenHashes(handle.db)).toBe(0);
    const after = new Map((await handle.db.select().from(links)).map((l) => [l.id, l.tokenHash]));
    for (const p of places) {
      expect(after.get(p.id)).toBe(p.tokenHash);
      expect(after.get(p.id)).not.toBe(tokenHash('b'.repeat(64), linkToken('b'.repeat(64), p.id)));
    }
    expect((await openForm(fx.roomyToken)).status).toBe(404);
    const listed = await call('get', `/api/v1/rounds/${fx.demoRound.id}/links?kind=class`, { authorization: `Bearer ${fx.keys.office}` }, { roundId: fx.demoRound.id });
    const token = (JSON.parse(listed.text) as { links: { token: string }[] }).links[0]!.token;
    expect(token).not.toBe(fx.roomyToken);
    expect((await openForm(token)).status).toBe(200);
    useEnvSecret(databaseSecretValue!);
    await rekeyTokenHashes(handle.db);
  });

  it('every listing of tokens is audited: JSON and CSV, with the number of tokens', async () => {
    useEnvSecret(databaseSecretValue!);
    const round = fx.demoRound.id;
    const auditRows = () => handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'links.list_tokens'), eq(auditLog.entityId, round)));
    const before = (await auditRows()).length;
    expect((await call('get', `/api/v1/rounds/${round}/links`, { authorization: `Bearer ${fx.keys.office}` }, { roundId: round })).status).toBe(200);
    expect((await call('get', `/api/v1/rounds/${round}/links?format=csv&kind=class`, { authorization: `Bearer ${fx.keys.office}` }, { roundId: round })).status).toBe(200);
    const rows = (await auditRows()).slice(before);
    expect(rows.map((r) => (r.summary as { via: string }).via).sort()).toEqual(['api', 'csv']);
    expect(rows.every((r) => r.actorApiKeyId && (r.summary as { tokens: number }).tokens > 0)).toBe(true);
  });

  it('refuses a short PINGYI_TOKEN_SECRET at start, naming it', () => {
    useEnvSecret('too-short');
    expect(() => env()).toThrow(EnvError);
    expect(() => env()).toThrow(/PINGYI_TOKEN_SECRET/);
  });
});

let databaseSecretValue: string | undefined;

describe('the CLI moves the secret out of the database', () => {
  it('token-secret export prints it, forget-db needs the variable and then deletes the copy', { timeout: 300_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-secret-'));
    const data = { PINGYI_DATA_DIR: path.join(dir, 'db'), PINGYI_TOKEN_SECRET: undefined };
    try {
      expect((await runCli(['seed'], data)).code).toBe(0);
      const exported = await runCli(['token-secret', 'export'], data);
      expect(exported.code).toBe(0);
      const secret = exported.stdout.trim().split('\n').at(-1)!;
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      const refused = await runCli(['token-secret', 'forget-db'], data);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr + refused.stdout).toMatch(/PINGYI_TOKEN_SECRET/);
      expect((await runCli(['token-secret', 'forget-db'], { ...data, PINGYI_TOKEN_SECRET: secret })).code).toBe(0);
      const again = await runCli(['token-secret', 'export'], data);
      expect(again.code).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
