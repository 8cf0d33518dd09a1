import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { call } from './api';
import { routeHandler } from './routes';

const get = async (path: string) => routeHandler(ENDPOINTS.find((e) => e.path === path && e.method === 'get')!);

/**
 * Every results API answer the office sees for a database: the round list, each round's results at
 * district level, for every school and for every rated subject, its progress, and the trends.
 * `dropComments` leaves out comment lists and keywords (read from raw answers, so gone after
 * retention); everything else comes from the count tables and must not change.
 */
export async function resultsSnapshot(handle: DbHandle, key: string, opts: { dropComments?: boolean } = {}): Promise<Record<string, unknown>> {
  setAppDatabase(handle);
  const headers = { authorization: `Bearer ${key}` };
  const out: Record<string, unknown> = {};
  const fetchJson = async (path: string, url: string, params: Record<string, string> = {}) => {
    const res = await call(await get(path), url, { headers, params });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    const body = opts.dropComments ? JSON.parse(JSON.stringify(res.body, (k, v) => (k === 'comments' ? null : v))) : res.body;
    out[url] = body;
    return body as Record<string, unknown>;
  };
  const rounds = (await fetchJson('/api/v1/rounds', '/api/v1/rounds?limit=100')).rounds as { id: string }[];
  for (const { id } of rounds) {
    const params = { roundId: id };
    await fetchJson('/api/v1/rounds/{roundId}/progress', `/api/v1/rounds/${id}/progress`, params);
    const district = (await fetchJson('/api/v1/rounds/{roundId}/results', `/api/v1/rounds/${id}/results`, params)) as { schools: { key: string }[] };
    for (const school of district.schools) {
      const page = (await fetchJson('/api/v1/rounds/{roundId}/results', `/api/v1/rounds/${id}/results?level=school&schoolId=${school.key}`, params)) as { subjects: { key: string }[] };
      for (const subject of page.subjects) {
        await fetchJson('/api/v1/rounds/{roundId}/results', `/api/v1/rounds/${id}/results?level=subject&subjectId=${subject.key}`, params);
      }
    }
  }
  await fetchJson('/api/v1/results/trends', '/api/v1/results/trends');
  return out;
}
