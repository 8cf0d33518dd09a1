import fs from 'node:fs';
import path from 'node:path';
import type { Endpoint } from '@/lib/api/contract';

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The route file that serves an endpoint path: /api/v1/users/{userId} → app/api/v1/users/[userId]/route.ts */
export function routeFile(endpointPath: string): string {
  return path.join(ROOT, 'app', ...endpointPath.split('/').filter(Boolean).map((p) => p.replace(/^\{(\w+)\}$/, '[$1]')), 'route.ts');
}

export async function routeHandler(e: Endpoint): Promise<RouteHandler> {
  const mod = (await import(routeFile(e.path))) as Record<string, RouteHandler>;
  const fn = mod[e.method.toUpperCase()];
  if (!fn) throw new Error(`${routeFile(e.path)} does not export ${e.method.toUpperCase()}`);
  return fn;
}

/** Every (method, path) that a route file under app/api exports. */
export async function servedRoutes(): Promise<string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'route.ts') files.push(p);
    }
  };
  walk(path.join(ROOT, 'app', 'api'));
  const out: string[] = [];
  for (const f of files) {
    const urlPath = '/' + path.relative(path.join(ROOT, 'app'), path.dirname(f)).split(path.sep).map((p) => p.replace(/^\[(\w+)\]$/, '{$1}')).join('/');
    const mod = (await import(f)) as Record<string, unknown>;
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) if (typeof mod[method] === 'function') out.push(`${method} ${urlPath}`);
  }
  return out.sort();
}

/** Files that declare server actions ('use server'), relative to the project root. */
export function serverActionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(entry.name) && /^\s*['"]use server['"]/m.test(fs.readFileSync(p, 'utf8'))) out.push(path.relative(ROOT, p));
    }
  };
  walk(path.join(ROOT, 'app'));
  walk(path.join(ROOT, 'lib'));
  return out.sort();
}
