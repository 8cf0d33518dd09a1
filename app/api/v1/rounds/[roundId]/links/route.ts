import { issueLinksEndpoint, listLinksEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { publicOrigin } from '@/lib/env';
import { toCsv } from '@/lib/org/roster/export';
import { issueLinks, listLinks } from '@/lib/rounds/links';

export const dynamic = 'force-dynamic';

export const GET = handle(listLinksEndpoint, async ({ db, caller, params, query, request }) => {
  const origin = publicOrigin(request.headers, request.url);
  const csv = query.format === 'csv';
  // the CSV download is the whole list, streamed to a file; the JSON answer is one page
  const listed = await listLinks(db, caller, actorOf(caller), params.roundId, {
    kind: query.kind,
    batch: query.batch,
    q: query.q,
    via: csv ? 'csv' : 'api',
    page: csv ? undefined : { page: query.page, limit: query.limit },
  });
  const rows = listed.map((l) => ({
    id: l.id,
    kind: l.kind,
    formId: l.formId,
    token: l.token,
    url: `${origin}/s/${l.token}`,
    schoolName: l.schoolName,
    className: l.className,
    label: l.label,
    batch: l.batch,
    capacity: l.capacity,
    usedCount: l.usedCount,
    group: l.group,
  }));
  if (csv) {
    const table = [
      ['类型', '学校', '班级', '标签', '编码', '链接', '名额', '已用', '本组已答/应答'],
      ...rows.map((r) => [r.kind, r.schoolName, r.className ?? '', r.label, r.token, r.url, String(r.capacity), r.usedCount === null ? '—' : String(r.usedCount), `${r.group.used}/${r.group.expected}`]),
    ];
    return new Response(Buffer.from(toCsv(table)), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="links-${params.roundId.slice(0, 8)}.csv"` },
    });
  }
  return { links: rows, page: query.page, limit: query.limit, total: listed.total };
});

export const POST = handle(issueLinksEndpoint, async ({ db, caller, params, body }) => ({
  issued: await issueLinks(db, caller, actorOf(caller), params.roundId, body),
}));
