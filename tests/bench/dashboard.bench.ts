// Results dashboard at scale: server render time (request to the last byte of HTML, on localhost)
// of the district overview, the round overview (100 schools) and one school's page (50 teachers
// ranked) for a round of 1,000,000 responses on PostgreSQL, through a production build. Median of
// BENCH_RUNS (default 15) after one warm-up request; the baseline is the results API call for the
// same data (JSON, no rendering), so the ratio is what the page adds on top of the query.
import { eq } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/secrets';
import { ensureBuild } from '@/lib/cli/build';
import { users } from '@/lib/db/schema';
import { startServer } from '../helpers/server';
import { report } from './harness';
import { millionRound, RESPONSES } from './million';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const PASSWORD = 'bench-dashboard-password';

const m = await millionRound();
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(server);
url.pathname = `/pingyi_bench_million_${RESPONSES}`;
let app: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const { handle, roundId, districtId, schoolIds } = m;
  if (m.seedMs !== null) report('dashboard', 'postgres', 'seed_seconds', m.seedMs / 1000, 's', null);
  // an office login of the benchmark district (replaced on every run, so a kept database works too)
  await handle.db.delete(users).where(eq(users.username, 'bench_office'));
  await handle.db.insert(users).values({ username: 'bench_office', displayName: '基准学区办公室', passwordHash: await hashPassword(PASSWORD), role: 'office', unitId: districtId });
  await ensureBuild();
  app = await startServer({ DATABASE_URL: url.toString(), PINGYI_SEED: '0' });
  const login = await fetch(`${app.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url }, body: JSON.stringify({ username: 'bench_office', password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const time = async (path: (i: number) => string) => {
    const get = async (i: number) => {
      const t0 = performance.now();
      const res = await fetch(`${app!.url}${path(i)}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path(i)}: ${res.status} ${body.slice(0, 300)}`);
      return performance.now() - t0;
    };
    await get(0);
    const out: number[] = [];
    for (let i = 1; i <= RUNS; i++) out.push(await get(i));
    return median(out);
  };
  const school = (i: number) => schoolIds[i % schoolIds.length]!;
  const pages = {
    district_overview: [() => '/results', () => `/api/v1/rounds/${roundId}/results?level=district`],
    round_overview: [() => `/results/${roundId}`, () => `/api/v1/rounds/${roundId}/results?level=district`],
    school_page: [(i: number) => `/results/${roundId}/schools/${school(i)}`, (i: number) => `/api/v1/rounds/${roundId}/results?level=school&schoolId=${school(i)}`],
  } as const;
  for (const [name, [page, api]] of Object.entries(pages)) {
    const pageMs = await time(page);
    const apiMs = await time(api);
    report('dashboard', 'postgres', `${name}_render_median_ms`, pageMs, 'ms', apiMs);
  }
  report('dashboard', 'postgres', 'responses', RESPONSES, 'rows', null);
} finally {
  await app?.stop();
  await m.close();
}
