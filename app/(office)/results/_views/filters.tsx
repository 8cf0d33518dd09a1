import { getTranslations } from 'next-intl/server';
import type { RoundResults } from '@/lib/scoring/schemas';

/** Rater group and dimension filters: a plain GET form, so a filtered view has its own address. */
export async function Filters({ results, current }: { results: RoundResults; current: { raterGroupId?: string; dimension?: string } }) {
  const t = await getTranslations('results');
  return (
    <form method="get" className="inline filters no-print">
      <select name="raterGroupId" defaultValue={current.raterGroupId ?? ''} aria-label={t('raterGroup')}>
        <option value="">{t('allGroups')}</option>
        {results.round.raterGroups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}（{g.weight}%）
          </option>
        ))}
      </select>
      <select name="dimension" defaultValue={current.dimension ?? ''} aria-label={t('dimension')}>
        <option value="">{t('allDimensions')}</option>
        {results.round.dimensions.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
      <button type="submit">{t('filter')}</button>
    </form>
  );
}
