#!/usr/bin/env node
// `npm run bench -- <name>`: runs tests/bench/<name>.bench.ts, which prints one JSON line per figure.
// `npm run bench -- smoke [name…]`: every benchmark (or the named ones) at a small size, checked
// (tests/bench/smoke.ts); CI runs it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'tests', 'bench');
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv[2];
if (!name || !(available.includes(name) || name === 'smoke')) {
  console.error(`usage: npm run bench -- <name> | smoke [name…]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
process.chdir(root);
register({ tsconfig: path.join(root, 'tsconfig.json') });
await import(path.join(dir, name === 'smoke' ? 'smoke.ts' : `${name}.bench.ts`));
