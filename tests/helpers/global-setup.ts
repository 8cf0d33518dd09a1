import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { databaseUrl } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    /** this run's directory for the seeded demo templates (tests/helpers/demo.ts) */
    demoRoot: string;
  }
}

/**
 * On PostgreSQL (DATABASE_URL set) the migrations run once into a template database; each test
 * file then gets its own copy (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
 * The seeded demo district is made the same way, once, by the first file that asks for it.
 */
export default async function setup(project: TestProject) {
  const demoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-demo-template-'));
  project.provide('demoRoot', demoRoot);
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('pgTemplate', null);
    return () => fs.rmSync(demoRoot, { recursive: true, force: true });
  }
  const name = `pingyi_tpl_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name}`);
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl(url, name), poolMax: 1 });
  await migrateDatabase(handle);
  await handle.close();
  project.provide('pgTemplate', name);
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    // the seeded demo, if a file asked for it (tests/helpers/demo.ts)
    const demo = path.join(demoRoot, 'postgres.ready');
    if (fs.existsSync(demo)) await admin.unsafe(`drop database if exists ${fs.readFileSync(demo, 'utf8')} with (force)`);
    await admin.end();
    fs.rmSync(demoRoot, { recursive: true, force: true });
  };
}
