/**
 * Backups and restore on the database under test (PGlite: pglite-tools' pg_dump; PostgreSQL:
 * pg_dump on an exported snapshot), the API that makes one, scheduled runs on several instances,
 * rotation, and the retention purge of a round's raw answers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// before anything reads the environment: the API and the schedule write here
const BACKUP_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-backups-'));
process.env.PINGYI_BACKUP_DIR = BACKUP_DIR;

import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { HEADER_PREFIX, openBackup, type Manifest } from '@/lib/backup/format';
import { restoreBackup, type RestoreTarget } from '@/lib/backup/restore';
import { rotateBackups } from '@/lib/backup/rotate';
import { backupStatus, runBackup } from '@/lib/backup/run';
import { scheduledBackup } from '@/lib/backup/schedule';
import { openDatabase, setAppDatabase, type DbHandle } from '@/lib/db/client';
import { answerFacts, auditLog, backups, responses, rounds, schoolCounts, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { purgeExpiredRounds, retentionWarnings } from '@/lib/retention/purge';
import { call } from '../helpers/api';
import { dropPgDatabase, freshDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { linkTotalsDrift } from '../helpers/link-totals';
import { databaseUrl } from '../helpers/pg';
import { resultsSnapshot } from '../helpers/results-snapshot';
import { routeHandler } from '../helpers/routes';

// the newest entry of the committed journal: the dump says which migration it was taken at
const latestMigration = (JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] }).entries.at(-1)!.tag;

const CLI = { type: 'cli', label: 'test' } as const;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-restore-'));
const created: string[] = [];

let source: DbHandle;
let officeKey: string;
let countyKey: string;
let file: string;
let manifest: Manifest;
let before: Record<string, unknown>;

/** An empty target: a new PGlite directory, or a new empty PostgreSQL database. */
async function emptyTarget(label: string): Promise<RestoreTarget> {
  if (!onPostgres) return { kind: 'pglite', dataDir: path.join(work, label) };
  const name = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
  created.push(name);
  return { kind: 'postgres', url: databaseUrl(process.env.DATABASE_URL!, name) };
}

const openTarget = (t: RestoreTarget) => openDatabase(t.kind === 'pglite' ? { kind: 'pglite', dataDir: t.dataDir } : { kind: 'postgres', url: t.url, poolMax: 2 });

async function tableCount(t: RestoreTarget): Promise<number> {
  if (t.kind === 'pglite' && !fs.existsSync(t.dataDir)) return -1; // not even created
  const h = await openTarget(t);
  try {
    const [row] = await h.exec(`select count(*)::int as n from pg_tables where schemaname in ('public', 'drizzle')`);
    return Number(row?.n);
  } finally {
    await h.close();
  }
}

/** Rewrites a backup file: the manifest and/or the SQL body. */
async function rewrite(from: string, to: string, change: { manifest?: (m: Manifest) => Manifest; body?: (b: string) => string }) {
  const { manifest: m, body } = await openBackup(from);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  const header = zlib.gzipSync(`${HEADER_PREFIX}${JSON.stringify(change.manifest ? change.manifest(m) : m)}\n`);
  fs.writeFileSync(to, Buffer.concat([header, zlib.gzipSync(change.body ? change.body(text) : text)]));
}

beforeAll(async () => {
  source = await freshDatabase();
  await prepareDatabase(source, { seed: true });
  officeKey = (await createApiKey(source.db, CLI, { name: 'office', role: 'office', unit: '巷道学区' })).key;
  countyKey = (await createApiKey(source.db, CLI, { name: 'county', role: 'office', unit: '高台县教育体育局' })).key;
  before = await resultsSnapshot(source, officeKey);
  file = path.join(work, 'full.sql.gz');
  manifest = await runBackup(source, { out: file, trigger: 'cli' });
}, 600_000);

afterAll(async () => {
  await source?.close();
  for (const name of created) await dropPgDatabase(process.env.DATABASE_URL!, name);
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(BACKUP_DIR, { recursive: true, force: true });
});

describe('backup', () => {
  it('writes a compressed dump, readable only by its owner, whose manifest counts every table', async () => {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    const [{ n }] = (await source.exec(`select count(*)::int as n from responses`)) as [{ n: number }];
    expect(n).toBeGreaterThan(500);
    expect(manifest.tables['public.responses']).toBe(n);
    expect(manifest.tables['drizzle.__drizzle_migrations']).toBe(manifest.migrations.count);
    expect(manifest.migrations.latest).toBe(latestMigration);
    expect(manifest.database).toBe(onPostgres ? 'postgres' : 'pglite');
    expect(fs.statSync(file).size).toBeLessThan(manifest.bytes / 5);
    expect((await backupStatus(source.db)).stale).toBe(false);
  });
});

describe('restore', () => {
  let target: RestoreTarget;

  it('restores into an empty database with every row and the same results answers', async () => {
    target = await emptyTarget('restored');
    const summary = await restoreBackup(file, target);
    expect(summary.rows).toBe(Object.values(manifest.tables).reduce((a, b) => a + b, 0));
    const restored = await openTarget(target);
    try {
      expect(await resultsSnapshot(restored, officeKey)).toEqual(before);
      // 回收率's totals come back as they were, and so do the triggers that keep them
      expect(await linkTotalsDrift(restored)).toEqual([]);
      const [{ n }] = (await restored.exec(`select count(*)::int as n from pg_trigger where tgrelid = 'links'::regclass and tgname like 'link_totals_%'`)) as [{ n: number }];
      expect(Number(n)).toBe(3);
      await restored.exec(`update links set used_count = 0 where used_count > 0`);
      expect(await linkTotalsDrift(restored)).toEqual([]);
    } finally {
      await restored.close();
    }
  }, 300_000);

  it('refuses a target that is not empty and changes nothing in it', async () => {
    const h = await openTarget(target);
    await h.db.delete(backups); // something a second restore would bring back
    await h.close();
    await expect(restoreBackup(file, target)).rejects.toThrow(/is not empty.*nothing was restored/);
    const again = await openTarget(target);
    try {
      expect(await again.db.$count(backups)).toBe(0);
      expect(await again.db.$count(responses)).toBe(manifest.tables['public.responses']);
    } finally {
      await again.close();
    }
  });

  it('refuses a file whose content does not match its checksum, and writes nothing', async () => {
    const damaged = path.join(work, 'damaged.sql.gz');
    // one changed answer in the data: still valid SQL, so only the checksum can tell
    await rewrite(file, damaged, { body: (b) => b.replace('satisfied', 'dissatisf') });
    const t = await emptyTarget('damaged');
    await expect(restoreBackup(damaged, t)).rejects.toThrow(/is damaged: its content does not match its checksum.*Nothing was restored/);
    expect(await tableCount(t)).toBe(onPostgres ? 0 : -1);

    const cut = path.join(work, 'cut.sql.gz');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(restoreBackup(cut, t)).rejects.toThrow(/damaged|not a readable backup/);
    expect(await tableCount(t)).toBe(onPostgres ? 0 : -1);

    const notBackup = path.join(work, 'plain.sql.gz');
    fs.writeFileSync(notBackup, zlib.gzipSync('select 1;\n'));
    await expect(restoreBackup(notBackup, t)).rejects.toThrow(/not a Pingyi backup/);
  });

  it('refuses a backup from a newer migration than this code knows', async () => {
    const newer = path.join(work, 'newer.sql.gz');
    await rewrite(file, newer, { manifest: (m) => ({ ...m, migrations: { count: m.migrations.count + 1, latest: '0099_future', latestWhen: Date.now() + 1e9 } }) });
    const t = await emptyTarget('newer');
    await expect(restoreBackup(newer, t)).rejects.toThrow(/newer version of Pingyi.*0099_future/);
    expect(await tableCount(t)).toBe(onPostgres ? 0 : -1);
  });

  it('rolls the whole restore back when a row count differs from the manifest', async () => {
    const wrong = path.join(work, 'wrong-count.sql.gz');
    await rewrite(file, wrong, { manifest: (m) => ({ ...m, tables: { ...m.tables, 'public.responses': m.tables['public.responses']! + 1 } }) });
    const t = await emptyTarget('wrong-count');
    await expect(restoreBackup(wrong, t)).rejects.toThrow(/row counts differ from the manifest: public.responses \d+ \(expected \d+\)/);
    expect(await tableCount(t)).toBe(onPostgres ? 0 : -1);
  }, 300_000);
});

describe('POST /api/v1/backups', () => {
  const post = async (key: string) =>
    call(await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/backups')!), '/api/v1/backups', { method: 'POST', headers: { authorization: `Bearer ${key}` } });

  it('lets the office of the top unit make a backup on the server, and no district office', async () => {
    setAppDatabase(source);
    const denied = await post(officeKey);
    expect(denied.status).toBe(403);
    expect(fs.readdirSync(BACKUP_DIR)).toEqual([]);

    const res = await post(countyKey);
    expect(res.status).toBe(201);
    const name = res.body.file as string;
    expect(name).toMatch(/^pingyi-\d{8}-\d{6}\.sql\.gz$/);
    expect(fs.existsSync(path.join(BACKUP_DIR, name))).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(BACKUP_DIR); // the answer names no server path
    const [entry] = await source.db.select().from(auditLog).where(eq(auditLog.action, 'backup.create'));
    expect(entry?.summary).toMatchObject({ file: name });

    const health = await call(await routeHandler(ENDPOINTS.find((e) => e.path === '/api/health')!), '/api/health');
    expect(health.body.backup).toMatchObject({ scheduled: true, stale: false });
    expect(health.body.status).toBe('ok');
  });
});

describe('scheduled backups', () => {
  it('runs a slot once however many instances fire it', async () => {
    const opts = { dir: BACKUP_DIR, cron: '0 2 * * *', keepDaily: 7, keepMonthly: 12 };
    const at = new Date('2026-11-29T18:00:02Z'); // 02:00:02 in Shanghai
    const other = await openDatabase(onPostgres ? { kind: 'postgres', url: (source as DbHandle & { url: string }).url, poolMax: 2 } : { kind: 'pglite' });
    try {
      // two instances on one PostgreSQL (on PGlite: two calls on the one server)
      const second = onPostgres ? other : source;
      const runs = await Promise.all([scheduledBackup(source, opts, at), scheduledBackup(second, opts, new Date(at.getTime() + 3_000))]);
      expect(runs.filter(Boolean)).toHaveLength(1);
      // either instance may win the slot (on PostgreSQL they race); the file is named for its run time
      expect(['pingyi-20261130-020002.sql.gz', 'pingyi-20261130-020005.sql.gz']).toContain(path.basename(runs.find(Boolean)!));
      const slots = await source.db.select().from(backups).where(eq(backups.trigger, 'schedule'));
      expect(slots).toHaveLength(1);
      expect(slots[0]!.ok).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('keeps the newest backup of the last N days and of the last M months', () => {
    const dir = fs.mkdtempSync(path.join(work, 'rotate-'));
    const names: string[] = [];
    for (let d = 0; d < 90; d++) {
      const day = new Date(Date.UTC(2026, 8, 1) + d * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      names.push(`pingyi-${day}-020000.sql.gz`, `pingyi-${day}-140000.sql.gz`);
    }
    for (const n of [...names, 'notes.txt']) fs.writeFileSync(path.join(dir, n), '');
    rotateBackups(dir, { daily: 3, monthly: 2 });
    expect(fs.readdirSync(dir).sort()).toEqual(
      ['notes.txt', 'pingyi-20261031-140000.sql.gz', 'pingyi-20261127-140000.sql.gz', 'pingyi-20261128-140000.sql.gz', 'pingyi-20261129-140000.sql.gz'],
    );
  });
});

describe('retention', () => {
  it('deletes the raw answers of a round past its retention period and leaves its results unchanged', async () => {
    const now = new Date();
    const [closed] = await source.db.select().from(rounds).where(sql`${rounds.closesAt} < now()`).limit(1);
    expect(closed).toBeDefined();
    const counted = await source.db.$count(responses, eq(responses.roundId, closed!.id));
    expect(counted).toBeGreaterThan(0);
    const resultsBefore = await resultsSnapshot(source, officeKey, { dropComments: true });

    // 20 days left: the office is warned and may export first; nothing is deleted yet
    await source.db.update(rounds).set({ retainUntil: new Date(now.getTime() + 20 * 86_400_000) }).where(eq(rounds.id, closed!.id));
    const [office] = await source.db.select().from(units).where(eq(units.name, '巷道学区'));
    const warnings = await retentionWarnings(source.db, { role: 'office', unitId: office!.id }, now);
    expect(warnings.map((w) => w.roundId)).toEqual([closed!.id]);
    expect(await purgeExpiredRounds(source.db, CLI, now)).toEqual([]);

    // past it: one transaction deletes responses and answer rows, keeps counts, writes the audit entry
    await source.db.update(rounds).set({ retainUntil: new Date(now.getTime() - 1000) }).where(eq(rounds.id, closed!.id));
    const countsBefore = await source.db.$count(schoolCounts, eq(schoolCounts.roundId, closed!.id));
    const purged = await purgeExpiredRounds(source.db, CLI, now);
    expect(purged).toEqual([expect.objectContaining({ roundId: closed!.id, responses: counted })]);
    expect(await source.db.$count(responses, eq(responses.roundId, closed!.id))).toBe(0);
    expect(await source.db.$count(answerFacts, eq(answerFacts.roundId, closed!.id))).toBe(0);
    expect(await source.db.$count(schoolCounts, eq(schoolCounts.roundId, closed!.id))).toBe(countsBefore);
    const [audit] = await source.db.select().from(auditLog).where(and(eq(auditLog.action, 'round.answers_purged'), eq(auditLog.entityId, closed!.id)));
    expect(audit?.summary).toMatchObject({ responses: counted, countsKept: true });

    expect(await resultsSnapshot(source, officeKey, { dropComments: true })).toEqual(resultsBefore);
    expect(await retentionWarnings(source.db, { role: 'office', unitId: office!.id }, now)).toEqual([]);
    // a second run (another instance) finds nothing to do
    expect(await purgeExpiredRounds(source.db, CLI, now)).toEqual([]);
  });

  it('never purges a round whose window is still open, and keeps nothing of a test round', async () => {
    const [open] = await source.db.select().from(rounds).where(sql`${rounds.closesAt} > now()`).limit(1);
    expect(open).toBeDefined();
    const n = await source.db.$count(responses, eq(responses.roundId, open!.id));
    expect(n).toBeGreaterThan(0);
    await source.db.update(rounds).set({ retainUntil: new Date(Date.now() - 1000) }).where(eq(rounds.id, open!.id));
    expect(await purgeExpiredRounds(source.db, CLI)).toEqual([]);
    expect(await source.db.$count(responses, eq(responses.roundId, open!.id))).toBe(n);

    await source.db.update(rounds).set({ testMode: true, closesAt: new Date(Date.now() - 500) }).where(eq(rounds.id, open!.id));
    expect(await purgeExpiredRounds(source.db, CLI)).toHaveLength(1);
    expect(await source.db.$count(responses, eq(responses.roundId, open!.id))).toBe(0);
    expect(await source.db.$count(schoolCounts, eq(schoolCounts.roundId, open!.id))).toBe(0);
  });
});
