import { publicSchoolEndpoint } from '@/lib/api/endpoints-commitments';
import { handle } from '@/lib/api/handler';
import { publicSchoolPage } from '@/lib/commitments/public';

export const dynamic = 'force-dynamic';

export const GET = handle(publicSchoolEndpoint, async ({ db, params }) => publicSchoolPage(db, params.unitId));
