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

export async function ensureBuild(root = process.cwd()): Promise<boolean> {
  if (buildIsCurrent(root)) return false;
  console.log('Building the app (first start or changed sources)…');
  await build(root);
  return true;
}
