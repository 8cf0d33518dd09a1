import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { databaseUrl } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
  }
}

/**
 * On PostgreSQL (DATABASE_URL set) the migrations run once into a template database; each test
 * file then gets its own copy (CREATE DATABASE … TEMPLATE), which takes a fraction of a second.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('pgTemplate', null);
    return;
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
    await admin.end();
  };
}
