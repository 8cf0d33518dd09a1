import type { DbHandle } from '@/lib/db/client';

/**
 * Where `link_totals` (summed over its shards) differs from the same sums taken over the live
 * links themselves; empty when the triggers kept it exact. Keys with no live link must sum to 0.
 */
export async function linkTotalsDrift(handle: DbHandle): Promise<Record<string, unknown>[]> {
  return handle.exec(`
    with raw as (
      select round_id, form_id, school_id, class_id, count(*)::int as links, sum(capacity)::int as places, sum(used_count)::int as used
      from links where not revoked group by 1, 2, 3, 4
    ), kept as (
      select round_id, form_id, school_id, class_id, sum(links)::int as links, sum(places)::int as places, sum(used)::int as used
      from link_totals group by 1, 2, 3, 4
    )
    select k.*, r.links as raw_links, r.places as raw_places, r.used as raw_used
    from kept k full join raw r
      on r.round_id = k.round_id and r.form_id = k.form_id and r.school_id = k.school_id and r.class_id is not distinct from k.class_id
    where (coalesce(k.links, 0), coalesce(k.places, 0), coalesce(k.used, 0)) <> (coalesce(r.links, 0), coalesce(r.places, 0), coalesce(r.used, 0))`);
}
