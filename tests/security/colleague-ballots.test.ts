/**
 * Colleague ballots answered from staff logins (/me) cannot be joined to the account that answered.
 *
 * Seven colleagues log in and answer the 同事互评 ballot through the real route, each with a ballot
 * nobody else gave (so its content shows who wrote it). The attacker is the database operator:
 *
 * - the catalog: no column of `responses` or `answer_facts` refers to a user, a login's staff
 *   record or a link, no foreign key leads from a response to them or from them to a response,
 *   and no value of an account (user id, staff id, username) or of its place (link id, token hash)
 *   appears anywhere in a ballot's rows;
 * - the account's "done" mark is its place in `links` (a use count, no time), and responses have
 *   no time at all;
 * - system columns and row order: while the round is open the place and the ballot share the
 *   submission's transaction id (the same as a one-time code, README's threat model); once the
 *   window has ended and the round is sealed, every place and every ballot carry the sealing
 *   transaction's id and sit in random order, so the joins name nobody beyond chance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '@/lib/db/client';
import { sealRound } from '@/lib/rounds/seal';
import { appraisal, callApi, login, workspaceRound } from '../helpers/workspace';

let w: Awaited<ReturnType<typeof workspaceRound>>;
const ANSWERERS = ['hp00', 'hp01', 'hp02', 'hp03', 'hp04', 'hp05', 'hp06'];
const GRADES = ['excellent', 'competent', 'basic', 'incompetent'];
/** staff id → the signature of the ballot they sent */
const truth = new Map<string, string>();
let userIds: string[] = [];

/** A ballot's signature: the grade it gave each colleague, in staff-number order. */
function signature(data: Record<string, { grade: string }>): string {
  return Object.entries(data)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, a]) => `${id.slice(0, 4)}=${a.grade}`)
    .join(',');
}

beforeAll(async () => {
  w = await workspaceRound();
  let n = 0;
  for (const username of ANSWERERS) {
    const cookie = await login(username);
    const ballot = await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie });
    const subjects = ballot.body.subjects as { key: string }[];
    // a ballot nobody else gives: the grades spell the answerer's number in base 4
    const answers = Object.fromEntries(subjects.map((s, i) => [s.key, appraisal(GRADES[Math.floor(n / 4 ** i) % 4]!)]));
    const res = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie, body: { idempotencyKey: `colleague-ballot-${username}-0000`, answers } });
    expect(res.status).toBe(201);
    const staffId = w.staff[username.toUpperCase()]!.id;
    truth.set(staffId, signature(answers as Record<string, { grade: string }>));
    n += 1;
  }
  expect(new Set(truth.values()).size).toBe(ANSWERERS.length);
  userIds = (await rawQuery<{ id: string }>(w.db, `select id from users where staff_id is not null`, [])).map((r) => r.id);
});
afterAll(() => w.handle.close());

const q = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => rawQuery<T>(w.db, text, params);

describe('the catalog: nothing in a ballot refers to the account', () => {
  it('no column of responses or answer_facts names a user, a login’s staff record or a link', async () => {
    const cols = await q<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' and table_name in ('responses', 'answer_facts') order by 1, 2`,
    );
    const names = cols.map((c) => `${c.table_name}.${c.column_name}`);
    expect(names.filter((n) => /user|link|token|session|issued|ip|agent|created|submitted|_at$|time|date/.test(n))).toEqual([]);
    // the only staff column is the person rated, never the rater
    expect(names.filter((n) => /staff/.test(n))).toEqual(['answer_facts.subject_staff_id']);
  });

  it('no foreign key leads from a response to users, staff-as-rater or links, nor from them to a response', async () => {
    const fks = await q<{ from_table: string; to_table: string; cols: string }>(
      `select c.conrelid::regclass::text as from_table, c.confrelid::regclass::text as to_table,
              (select string_agg(a.attname, ',') from pg_attribute a where a.attrelid = c.conrelid and a.attnum = any(c.conkey)) as cols
       from pg_constraint c where c.contype = 'f'`,
    );
    const fromBallot = fks.filter((f) => f.from_table === 'responses' || f.from_table === 'answer_facts').map((f) => `${f.from_table}.${f.cols}→${f.to_table}`);
    expect(fromBallot.sort()).toEqual(
      [
        'answer_facts.response_id→responses',
        'answer_facts.subject_staff_id→staff',
        'answer_facts.subject_unit_id→units',
        'responses.class_id→classes',
        'responses.form_id→round_forms',
        'responses.rater_group_id→rater_groups',
        'responses.round_id→rounds',
        'responses.school_id→units',
      ].sort(),
    );
    expect(fks.filter((f) => f.to_table === 'responses' && f.from_table !== 'answer_facts')).toEqual([]);
  });

  it('no value of an account or its place appears in any ballot row', async () => {
    const places = await q<{ id: string; token_hash: string; issued_to_staff_id: string }>(
      `select id, token_hash, issued_to_staff_id from links where form_id = $1::uuid and kind = 'account'`,
      [w.ballotFormId],
    );
    expect(places.length).toBe(7);
    const ballotRows = (
      await q<{ row: string }>(
        `select row_to_json(r)::text as row from responses r where form_id = $1::uuid
         union all select row_to_json(f)::text from answer_facts f where form_id = $1::uuid`,
        [w.ballotFormId],
      )
    ).map((r) => r.row);
    expect(ballotRows.length).toBeGreaterThan(ANSWERERS.length);
    const text = ballotRows.join('\n');
    for (const p of places) {
      expect(text).not.toContain(p.id);
      expect(text).not.toContain(p.token_hash);
    }
    for (const id of userIds) expect(text).not.toContain(id);
    for (const username of ANSWERERS) expect(text).not.toContain(`"${username}"`);
    // the rater's staff id appears only as a person rated by someone else, never in a column of its own
    const raters = await q<{ n: number }>(`select count(*)::int as n from responses where form_id = $1::uuid and data::text like '%' || $2 || '%'`, [w.ballotFormId, w.staff.HP01!.id]);
    expect(raters[0]!.n).toBe(ANSWERERS.length - 1);
  });

  it('the account’s “done” mark is a use count on its place, with no time; the response has no time either', async () => {
    const placeCols = await q<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = 'links' and data_type like 'timestamp%'`,
    );
    // created_at is when the places of the whole school were made, in one statement before anyone answered
    expect(placeCols.map((c) => c.column_name)).toEqual(['created_at']);
    const made = await q<{ n: number }>(`select count(distinct created_at)::int as n from links where form_id = $1::uuid and kind = 'account' and school_id = $2::uuid`, [w.ballotFormId, w.school.id]);
    expect(made[0]!.n).toBe(1);
    const audit = await q<{ n: number }>(`select count(*)::int as n from audit_log where entity_id::text = any($1::text[])`, [`{${[...truth.keys()].join(',')}}`]);
    expect(audit[0]!.n).toBe(0);
  });
});

/** For each account place: the ballots written by the transaction that last wrote the place. */
async function xminJoin() {
  const rows = await q<{ staff: string; data: Record<string, { grade: string }> }>(
    `select l.issued_to_staff_id as staff, r.data from links l join responses r on r.xmin = l.xmin and r.form_id = l.form_id
     where l.form_id = $1::uuid and l.kind = 'account' and l.used_count > 0`,
    [w.ballotFormId],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.staff, [...(out.get(r.staff) ?? []), signature(r.data)]);
  return out;
}
const named = (join: Map<string, string[]>) => [...join].filter(([staff, ballots]) => ballots.length === 1 && ballots[0] === truth.get(staff)).length;

describe('system columns and row order', () => {
  it('while the round is open, the place and its ballot share a transaction id (as with a one-time code)', async () => {
    expect(named(await xminJoin())).toBe(ANSWERERS.length);
  });

  it('after the window has ended and the round is sealed, the xmin join names nobody and the ballots are unchanged', async () => {
    await q(`update rounds set closes_at = now() - interval '1 minute' where id = $1::uuid`, [w.round.id]);
    expect(await sealRound(w.db, w.round.id)).toBe(true);
    const join = await xminJoin();
    expect(named(join)).toBe(0);
    for (const ballots of join.values()) expect(ballots.length).toBe(ANSWERERS.length);
    const after = await q<{ data: Record<string, { grade: string }> }>(`select data from responses where form_id = $1::uuid`, [w.ballotFormId]);
    expect(new Set(after.map((r) => signature(r.data)))).toEqual(new Set(truth.values()));
    // and an eighth colleague can no longer answer
    const late = await login('hp06');
    expect((await callApi('GET', '/api/v1/me/tasks', { cookie: late })).body.tasks).toEqual([]);
  });
});
