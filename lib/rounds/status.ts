import type { Round } from '@/lib/db/schema';

/**
 * What a round is right now. An office "opens" a round for its window; it then opens and closes by
 * itself: before opensAt it is scheduled, after closesAt it is closed, whatever the stored status.
 */
export type EffectiveStatus = 'draft' | 'scheduled' | 'open' | 'closed' | 'released';

export function effectiveStatus(round: Pick<Round, 'status' | 'opensAt' | 'closesAt'>, now = new Date()): EffectiveStatus {
  if (round.status === 'draft' || round.status === 'released' || round.status === 'closed') return round.status;
  if (now < round.opensAt) return 'scheduled';
  if (now >= round.closesAt) return 'closed';
  return 'open';
}
