import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SOURCES = ['app', 'lib', 'public', 'proxy.ts', 'next.config.mjs', 'package-lock.json', 'tsconfig.json'];
const HASH_FILE = path.join('.next', 'pingyi-source-hash');

function walk(entry: string, out: string[]) {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isDirectory()) for (const child of fs.readdirSync(entry).sort()) walk(path.join(entry, child), out);
  else out.push(entry);
}

/** A hash of everything the production build depends on, to tell whether `.next` is current. */
export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const s of SOURCES) walk(path.join(root, s), files);
  const h = createHash('sha256');
  for (const f of files) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex');
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const hashFile = path.join(root, HASH_FILE);
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')) || !fs.existsSync(hashFile)) return false;
  return fs.readFileSync(hashFile, 'utf8') === sourceHash(root);
}

/** Runs `next build` and records the source hash it was made from. */
export async function build(root = process.cwd()): Promise<void> {
  const hash = sourceHash(root);
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { NEXT_TELEMETRY_DISABLED: '1', ...process.env } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
  });
  fs.writeFileSync(path.join(root, HASH_FILE), hash);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Holds a lock directory while `fn` runs, so processes that need a build at the same time (test
 * files in parallel workers, two starts) build once, one after the other, instead of colliding in
 * `.next`. A lock left by a dead process is taken over.
 */
async function withBuildLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(root, '.next-build.lock');
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      const stale = Date.now() - fs.statSync(lock).mtimeMs > 20 * 60_000;
      if ((owner && !alive(owner)) || stale) fs.rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export async function ensureBuild(root = process.cwd()): Promise<boolean> {
  if (buildIsCurrent(root)) return false;
  return withBuildLock(root, async () => {
    // another process may have built it while this one waited
    if (buildIsCurrent(root)) return false;
    console.log('Building the app (first start or changed sources)…');
    await build(root);
    return true;
  });
}
