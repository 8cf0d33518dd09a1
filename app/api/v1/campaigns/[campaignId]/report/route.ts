import { campaignReportEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { campaignReport } from '@/lib/campaigns/report';
import { reportDownload } from '@/lib/campaigns/report-export';

export const dynamic = 'force-dynamic';

export const GET = handle(campaignReportEndpoint, async ({ db, caller, params, query }) => {
  const report = await campaignReport(db, caller, params.campaignId);
  return query.format === 'json' ? report : reportDownload(report, query.format);
});
