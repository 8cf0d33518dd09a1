import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { BIN, ROOT } from './cli';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** sends a signal and resolves with the exit code once the process has ended */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `pingyi start` (what `npm start` runs) and waits until it serves. */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 240_000): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: undefined, NEXT_TELEMETRY_DISABLED: '1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const check = () => {
      if (out.includes('Pingyi is serving')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://localhost:${port}`,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium driven by playwright-core (no browser download). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/** A JSON call to a running server: method, path, optional body → the parsed answer; throws unless 2xx. */
export type ServerApi = (method: string, p: string, body?: unknown) => Promise<Record<string, unknown>>;

/**
 * Calls a running server's API with an API key (Bearer), as an integrator would; `target` is read at
 * each call, so the server and key may be set up after the function is made.
 */
export function bearerApi(target: () => { url: string; key: string }): ServerApi {
  return async (method, p, body) => {
    const { url, key } = target();
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * Opens a parent round on the demo district's 槐山小学 with the built-in 家长满意度问卷, answered
 * per school, open from an hour ago for a day: the round the load and fault tests submit into.
 */
export async function openParentRound(api: ServerApi, title: string): Promise<{ roundId: string; schoolId: string; formId: string }> {
  const templates = (await api('GET', '/api/v1/templates')) as { templates: { id: string; name: string }[] };
  const units = (await api('GET', '/api/v1/units?kind=school')) as { units: { id: string; name: string }[] };
  const rounds = (await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  const { id: roundId } = (await api('POST', '/api/v1/rounds', {
    title,
    schoolYear: rounds.rounds[0]!.schoolYear,
    term: 1,
    units: ['槐山小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId: templates.templates.find((t) => t.name === '家长满意度问卷')!.id, raterGroup: 0, subjectMode: 'school' }],
  })) as { id: string };
  await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const round = (await api('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[] };
  return { roundId, schoolId: units.units.find((u) => u.name === '槐山小学')!.id, formId: round.forms[0]!.id };
}
