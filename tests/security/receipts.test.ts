// Attack 6 of issue 14, at the database: a receipt (what a respondent sees, and what older answering
// pages kept on the device) and the idempotency key (what the device holds while answering) must
// match nothing stored. The receipt used to be an unkeyed hash of the idempotency key, which was
// stored as it was: whoever read a receipt off a school computer found the response in one query.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { rowsOf, type Scope } from '@/lib/auth/scope';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { classes, responses, roundForms, teachingAssignments, templates, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { receiptOf } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { call } from '../helpers/api';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let roundId: string;
let schoolId: string;
let token: string;
const actor = { type: 'cli', label: 'test' } as const;

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  schoolId = school!.id;
  const [cls] = await handle.db.select().from(classes).where(and(eq(classes.schoolId, schoolId), eq(classes.name, '五年级(1)班')));
  const office: Scope = { role: 'office', unitId: district!.id };
  const [tpl] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'parent-satisfaction'));
  const round = await createRound(handle.db, office, actor, {
    title: '回执测评',
    schoolYear: (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear,
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId: tpl!.id, raterGroup: 0, subjectMode: 'school' }],
  });
  roundId = round.id;
  await roundAction(handle.db, office, actor, roundId, { action: 'open' });
  const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, roundId));
  await issueLinks(handle.db, office, actor, roundId, { kind: 'class', formId: form!.id });
  token = (await listLinks(handle.db, office, actor, roundId, { kind: 'class', via: 'api' })).find((l) => l.classId === cls!.id)!.token;
});
afterAll(() => handle.close());

async function submit(idempotencyKey: string) {
  const post = await routeHandler(ENDPOINTS.find((e) => e.method === 'post' && e.path === '/api/v1/respond/{token}')!);
  return call(post, `/api/v1/respond/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost' },
    body: JSON.stringify({ idempotencyKey, answers: { [schoolId]: PARENT } }),
    params: { token },
  });
}

/** Every row of every table of the database, as text. */
async function everythingStored(): Promise<string> {
  const tables = rowsOf<{ name: string }>(
    await handle.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`),
  );
  expect(tables.map((t) => t.name)).toContain('responses');
  const parts: string[] = [];
  for (const { name } of tables) {
    const dump = rowsOf<{ t: string }>(await handle.db.execute(sql`select coalesce(string_agg(t::text, E'\n'), '') as t from ${sql.identifier(name)} t`));
    parts.push(dump[0]?.t ?? '');
  }
  return parts.join('\n');
}

describe('attack 6: a receipt or a device-held key leads to no stored response', () => {
  it('a retry is still accepted once with the same receipt, yet neither the key nor the receipt is stored or derivable', async () => {
    const key = 'device-key-0123456789abcdef0123';
    const first = await submit(key);
    expect(first.status).toBe(201);
    const receipt = first.body.receipt as string;
    expect(receipt).toMatch(/^[0-9A-F]{10}$/);
    const retry = await submit(key);
    expect(retry.body).toEqual({ receipt, duplicate: true });
    const rows = await handle.db.select().from(responses).where(eq(responses.roundId, roundId));
    expect(rows).toHaveLength(1);

    // nothing in the whole database holds the key or the receipt …
    const all = (await everythingStored()).toLowerCase();
    expect(all).not.toContain(key.toLowerCase());
    expect(all).not.toContain(receipt.toLowerCase());
    // … and the receipt computed from what is stored is not the respondent's receipt
    for (const row of rows) {
      expect(receiptOf(row.idempotencyKey)).not.toBe(receipt);
      expect(row.idempotencyKey).not.toBe(key);
    }
  });

  it('two different keys are two responses (the stored form still tells retries apart)', async () => {
    const a = await submit('device-key-aaaaaaaaaaaaaaaaaaaa');
    const b = await submit('device-key-bbbbbbbbbbbbbbbbbbbb');
    expect(a.body.duplicate).toBe(false);
    expect(b.body.duplicate).toBe(false);
    expect(a.body.receipt).not.toBe(b.body.receipt);
    expect(await handle.db.$count(responses, eq(responses.roundId, roundId))).toBe(3);
  });
});
