#!/usr/bin/env node
// Operator CLI: `npx pingyi <command>`. Runs the TypeScript sources through tsx so the CLI
// and the app share one implementation of every operation.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
register({ tsconfig: path.join(root, 'tsconfig.json') });
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
