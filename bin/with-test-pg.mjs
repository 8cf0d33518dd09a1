#!/usr/bin/env node
// `npm run test:pg`: runs a command against a fresh database on the local PostgreSQL
// (127.0.0.1:5432, or PINGYI_TEST_PG_URL), created for this run and dropped at its end.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import postgres from 'postgres';

const server = process.env.PINGYI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `pingyi_run_${Date.now()}_${process.pid}`;

async function connect() {
  for (let attempt = 0; attempt < 2; attempt++) {
    const sql = postgres(server, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      await sql`select 1`;
      return sql;
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => {});
      if (attempt === 0 && fs.existsSync('/etc/postgresql')) {
        console.error(`PostgreSQL is not answering (${err.message}); starting the local cluster…`);
        const version = fs.readdirSync('/etc/postgresql')[0];
        spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
        continue;
      }
      throw new Error(`Cannot reach PostgreSQL at ${server}: ${err.message}`);
    }
  }
}

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-test-pg <command> [args…]');
  process.exit(2);
}
let admin;
try {
  admin = await connect();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
await admin.unsafe(`create database ${name}`);
const url = new URL(server);
url.pathname = `/${name}`;
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url.toString() }, shell: false });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.end();
process.exit(code);
