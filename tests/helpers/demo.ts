import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { dbEnv, runCli } from './cli';
import { dropPgDatabase, freshPgDatabase, onPostgres } from './db';
import { databaseUrl } from './pg';

export type DbTarget = { dataDir: string } | { url: string };

export interface DemoDatabase {
  target: DbTarget;
  /** the environment a CLI or server run on this database needs */
  env: Record<string, string | undefined>;
  /** `pingyi api-key create` on this database: the key it prints */
  apiKey: (role: 'office' | 'school_admin', unit: string, name?: string) => Promise<string>;
  /** removes the copy (directory or database) */
  dispose: () => Promise<void>;
}

const SEED_TIMEOUT = 600_000;

/**
 * Seeds the demo district (`pingyi seed`, what the first `npm start` does) once per test run and
 * per database kind, whichever test file asks first; the other files wait for it. Returns the
 * seeded PGlite directory or PostgreSQL database that copies are made from (its name is written in
 * `<kind>.ready`, where the run's teardown finds it).
 */
async function demoTemplate(kind: 'pglite' | 'postgres'): Promise<string> {
  const root = inject('demoRoot');
  const ready = path.join(root, `${kind}.ready`);
  const failed = path.join(root, `${kind}.failed`);
  let mine = false;
  try {
    fs.mkdirSync(path.join(root, `${kind}.lock`));
    mine = true;
  } catch {
    // another file is seeding it, or has
  }
  if (mine) {
    try {
      let target: DbTarget;
      let made: string;
      if (kind === 'pglite') {
        made = path.join(root, 'pglite-demo');
        target = { dataDir: made };
      } else {
        made = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
        target = { url: databaseUrl(process.env.DATABASE_URL!, made) };
      }
      const seeded = await runCli(['seed'], dbEnv(target), SEED_TIMEOUT);
      if (seeded.code !== 0) throw new Error(`pingyi seed exited with ${seeded.code}:\n${seeded.stdout}\n${seeded.stderr}`);
      fs.writeFileSync(ready, made);
    } catch (e) {
      fs.writeFileSync(failed, String(e));
      throw e;
    }
  }
  const deadline = Date.now() + SEED_TIMEOUT;
  while (!fs.existsSync(ready)) {
    if (fs.existsSync(failed)) throw new Error(`seeding the demo template failed in another file: ${fs.readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error('the demo template was not seeded in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return fs.readFileSync(ready, 'utf8');
}

/**
 * A database holding the demo district for one test file: a copy of the run's seeded template (a
 * PGlite directory copied, or `CREATE DATABASE … TEMPLATE` on PostgreSQL), as if `pingyi seed` had
 * just run on it. On PostgreSQL when DATABASE_URL is set, unless `embedded` (browser tests of the
 * pages themselves, which the PostgreSQL run leaves out: vitest.config.ts).
 */
export async function demoDatabase(label: string, { embedded = false } = {}): Promise<DemoDatabase> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pingyi-${label}-`));
  let target: DbTarget;
  let pgName: string | undefined;
  if (onPostgres && !embedded) {
    pgName = await freshPgDatabase(process.env.DATABASE_URL!, { template: await demoTemplate('postgres') });
    target = { url: databaseUrl(process.env.DATABASE_URL!, pgName) };
  } else {
    const template = await demoTemplate('pglite');
    const dataDir = path.join(tmp, 'pglite');
    fs.cpSync(template, dataDir, { recursive: true });
    target = { dataDir };
  }
  const env = dbEnv(target);
  return {
    target,
    env,
    apiKey: async (role, unit, name = label) => {
      const res = await runCli(['api-key', 'create', '--name', name, '--role', role, '--unit', unit], env);
      if (res.code !== 0) throw new Error(`api-key create: ${res.stderr}`);
      return res.stdout.trim().split('\n').at(-1)!;
    },
    dispose: async () => {
      if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
