/**
 * A throwaway PostgreSQL cluster of the test's own (initdb in a temporary directory, on a free
 * port), for tests that restart the server or fill its connections: the shared server on 5432 is
 * never touched. Runs the server binaries as the `postgres` user when the tests run as root.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  return path.join(root, newest, 'bin');
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]) {
  const cmd = path.join(binDir(), bin);
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface Cluster {
  port: number;
  /** a URL of the cluster's `postgres` database (trust authentication) */
  url: string;
  dir: string;
  start(): void;
  /** a fast shutdown: connected sessions are terminated */
  stop(): void;
  restart(): void;
  /** stops the server and removes its directory */
  destroy(): void;
}

export async function startCluster(settings: Record<string, string | number> = {}): Promise<Cluster> {
  return makeCluster(settings, (data) => run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']));
}

/**
 * A streaming replica of `primary` (pg_basebackup -R: a hot standby that follows the primary's
 * WAL), on a port of its own; pause its replay with `select pg_wal_replay_pause()`.
 */
export async function startReplica(primary: Cluster, settings: Record<string, string | number> = {}): Promise<Cluster> {
  return makeCluster({ hot_standby: 'on', ...settings }, (data) =>
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--no-sync']),
  );
}

async function makeCluster(settings: Record<string, string | number>, create: (data: string) => void): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-cluster-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  create(data);
  const port = await freePort();
  const conf = { listen_addresses: '127.0.0.1', port, unix_socket_directories: dir, fsync: 'off', ...settings };
  const value = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
  fs.appendFileSync(path.join(data, 'postgresql.conf'), Object.entries(conf).map(([k, v]) => `${k} = ${value(v)}\n`).join(''));
  const log = path.join(dir, 'server.log');
  const cluster: Cluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    start: () => void run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']),
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    restart: () => void run('pg_ctl', ['-D', data, '-l', log, '-m', 'fast', '-w', 'restart']),
    destroy: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not running
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

export interface Bouncer {
  port: number;
  /** a URL of `database` through PgBouncer */
  url: string;
  stop(): Promise<void>;
}

/**
 * PgBouncer (Debian's `pgbouncer`) in transaction mode in front of a cluster's database, on a free
 * port, as the `postgres` user (it refuses to run as root). Every client name logs in as postgres.
 */
export async function startPgBouncer(cluster: Cluster, database: string, poolSize = 10): Promise<Bouncer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-pgbouncer-'));
  const ini = path.join(dir, 'pgbouncer.ini');
  fs.writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = host=127.0.0.1 port=${cluster.port} dbname=${database} user=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const bin = '/usr/sbin/pgbouncer';
  if (!fs.existsSync(bin)) throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer)');
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', bin, '-d', ini], { encoding: 'utf8' }) : spawnSync(bin, ['-d', ini], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pgbouncer failed to start (${r.status}): ${r.stderr}`);
  const pidFile = path.join(dir, 'pgbouncer.pid');
  for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 50));
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
          await new Promise((res) => setTimeout(res, 50));
        } catch {
          break;
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
