import { getAnnouncementEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { publicAnnouncement } from '@/lib/assessment/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(getAnnouncementEndpoint, async ({ db, params }) => {
  const a = await publicAnnouncement(db, params.yearId);
  return { ...a, announcedAt: a.announcedAt?.toISOString() ?? null, endsAt: a.endsAt?.toISOString() ?? null };
});
