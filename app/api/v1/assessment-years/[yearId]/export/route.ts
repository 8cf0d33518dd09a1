import { exportEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { assessmentWorkbook } from '@/lib/assessment/export';

export const dynamic = 'force-dynamic';

export const GET = handle(exportEndpoint, async ({ db, caller, params, query, locale }) => {
  const bytes = await assessmentWorkbook(db, caller, params.yearId, query.kind, locale, query.staffId);
  const name = `${query.kind === 'summary' ? '年度考核汇总表' : '考核登记表'}-${new Date().toISOString().slice(0, 10)}.xlsx`;
  return new Response(Buffer.from(bytes), {
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="assessment.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    },
  });
});
