import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { apiKeys, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { GET as health } from '@/app/api/health/route';
import { GET as me } from '@/app/api/v1/me/route';
import { GET as openapi } from '@/app/api/v1/openapi.json/route';
import { GET as rounds } from '@/app/api/v1/rounds/route';
import { GET as unitsRoute } from '@/app/api/v1/units/route';
import { call } from '../helpers/api';
import { freshDatabase } from '../helpers/db';
import { servedRoutes } from '../helpers/routes';

let handle: DbHandle;
let officeKey: string;
let schoolKey: string;
const cli = { type: 'cli', label: 'test' } as const;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  officeKey = (await createApiKey(handle.db, cli, { name: 'office', role: 'office', unit: '巷道学区' })).key;
  schoolKey = (await createApiKey(handle.db, cli, { name: 'school', role: 'school_admin', unit: '槐山小学' })).key;
});
afterAll(() => handle.close());

const auth = (key: string, extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${key}`, ...extra } });

describe('/api/health', () => {
  it('reports the database kind and current migrations', async () => {
    const { status, body } = await call(health, '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', database: handle.kind, migrations: { current: true } });
  });
});

describe('API authentication', () => {
  it('refuses a request without a key, in Chinese by default and in English on request', async () => {
    const zh = await call(unitsRoute, '/api/v1/units');
    expect(zh.status).toBe(401);
    expect(zh.body).toEqual({ error: { code: 'unauthenticated', message: '需要登录或有效的 API 密钥。' } });
    const en = await call(unitsRoute, '/api/v1/units', { headers: { 'accept-language': 'en-US' } });
    expect((en.body.error as { message: string }).message).toBe('Log in or send a valid API key.');
  });

  it('refuses an unknown or revoked key', async () => {
    expect((await call(unitsRoute, '/api/v1/units', auth('pgy_not-a-key'))).status).toBe(401);
    const { id, key } = await createApiKey(handle.db, cli, { name: 'old', role: 'office', unit: '巷道学区' });
    expect((await call(unitsRoute, '/api/v1/units', auth(key))).status).toBe(200);
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
    expect((await call(unitsRoute, '/api/v1/units', auth(key))).status).toBe(401);
  });

  it('stores only a hash of the key and records its last use', async () => {
    const rows = await handle.db.select().from(apiKeys).where(eq(apiKeys.name, 'office'));
    expect(rows[0]!.keyHash).not.toContain(officeKey.slice(4));
    expect(rows[0]!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    await call(me, '/api/v1/me', auth(officeKey));
    const [after] = await handle.db.select().from(apiKeys).where(eq(apiKeys.name, 'office'));
    expect(after!.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('scoped reads', () => {
  it('an office key sees the whole district; a school key only its school', async () => {
    const office = await call(unitsRoute, '/api/v1/units?kind=school', auth(officeKey));
    expect((office.body.units as { name: string }[]).map((u) => u.name).sort()).toEqual(['巷道中心小学', '巷道初级中学', '槐山小学'].sort());
    const school = await call(unitsRoute, '/api/v1/units', auth(schoolKey));
    expect((school.body.units as { name: string }[]).map((u) => u.name)).toEqual(['槐山小学']);
  });

  it('response counts of a round are limited to the caller’s schools', async () => {
    const office = await call(rounds, '/api/v1/rounds', auth(officeKey));
    const school = await call(rounds, '/api/v1/rounds?status=open', auth(schoolKey));
    const [o] = office.body.rounds as { responses: number; expected: number; id: string }[];
    const [s] = school.body.rounds as { responses: number; expected: number; id: string }[];
    expect(s!.id).toBe(o!.id);
    expect(s!.responses).toBeGreaterThan(0);
    expect(s!.responses).toBeLessThan(o!.responses);
    expect(s!.expected).toBeLessThan(o!.expected);
  });

  it('/me names the key’s role and unit', async () => {
    const { body } = await call(me, '/api/v1/me', auth(schoolKey));
    expect(body).toMatchObject({ role: 'school_admin', unit: { name: '槐山小学', kind: 'school' }, apiKey: { name: 'school' } });
  });
});

describe('bad input', () => {
  it('names the field and the allowed values, and changes nothing', async () => {
    const before = await handle.db.select().from(units);
    const { status, body } = await call(rounds, '/api/v1/rounds?status=bogus&limit=0', auth(officeKey));
    expect(status).toBe(400);
    const error = body.error as { code: string; message: string; fields: Record<string, string[]> };
    expect(error.code).toBe('validation');
    expect(error.message).toBe('提交的内容有误，请检查标出的字段。');
    expect(error.fields.status![0]).toContain('draft, open, closed, released');
    expect(error.fields.limit![0]).toBe('不能少于 1。');
    const en = await call(rounds, '/api/v1/rounds?limit=500&lang=en', auth(officeKey));
    expect((en.body.error as { fields: Record<string, string[]> }).fields.limit).toEqual(['Must be at most 200.']);
    expect(await handle.db.select().from(units)).toEqual(before);
  });
});

describe('OpenAPI document', () => {
  it('is generated from the endpoint schemas and lists every endpoint', async () => {
    const res = openapi();
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; schema: { enum?: string[] } }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const e of ENDPOINTS) expect(doc.paths[e.path]?.[e.method], e.path).toBeDefined();
    const status = doc.paths['/api/v1/rounds']!.get!.parameters!.find((p) => p.name === 'status');
    expect(status!.schema.enum).toEqual(['draft', 'open', 'closed', 'released']);
  });

  it('types a download offered beside JSON as bytes: the campaign report is JSON, xlsx or PDF', async () => {
    const doc = (await openapi().json()) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: Record<string, string> }> }> }>> };
    const content = doc.paths['/api/v1/campaigns/{campaignId}/report']!.get!.responses['200']!.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/CampaignReport' });
    expect(content['application/pdf']!.schema).toEqual({ type: 'string', format: 'binary' });
    expect(content['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']!.schema).toEqual({ type: 'string', format: 'binary' });
  });

  it('covers every route the app serves, method by method', async () => {
    const documented = ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.path}`).sort();
    expect(await servedRoutes()).toEqual(documented);
  });
});
