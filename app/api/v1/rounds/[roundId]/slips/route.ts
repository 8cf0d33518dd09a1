import { Readable } from 'node:stream';
import { slipsPdfEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { publicOrigin } from '@/lib/env';
import { listLinks } from '@/lib/rounds/links';
import { getRound } from '@/lib/rounds/queries';
import { slipsPdf } from '@/lib/rounds/slips-pdf';

export const dynamic = 'force-dynamic';

export const GET = handle(slipsPdfEndpoint, async ({ db, caller, params, query, request }) => {
  // listing the tokens checks that the caller manages the round, and is audited (via: pdf)
  const listed = await listLinks(db, caller, actorOf(caller), params.roundId, { batch: query.batch, classId: query.classId, via: 'pdf' });
  const { round } = await getRound(db, caller, params.roundId);
  const slips = listed.filter((l) => l.kind !== 'class');
  const doc = slipsPdf(slips, {
    title: round.title,
    origin: publicOrigin(request.headers, request.url),
    caption: query.batch ? `第 ${query.batch} 批` : undefined,
  });
  const name = `slips-${params.roundId.slice(0, 8)}${query.batch ? `-b${query.batch}` : ''}${query.classId ? `-${query.classId.slice(0, 8)}` : ''}.pdf`;
  return new Response(Readable.toWeb(doc) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  });
});
