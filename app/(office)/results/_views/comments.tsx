import { getTranslations } from 'next-intl/server';
import type { RoundResults } from '@/lib/scoring/schemas';

/** Comments with their most frequent words; held back below the comment threshold for anyone but the office. */
export async function Comments({ comments }: { comments: RoundResults['comments'] }) {
  const t = await getTranslations('results');
  if (!comments || (!comments.suppressed && !comments.total)) return null;
  return (
    <section className="card page-break">
      <h2>{t('comments')}</h2>
      {comments.suppressed ? (
        <p className="muted">{t('commentsHidden')}</p>
      ) : (
        <>
          {comments.keywords.length > 0 && (
            <p>
              {t('keywords')}：{comments.keywords.slice(0, 15).map((k) => `${k.word}（${k.count}）`).join('、')}
            </p>
          )}
          <ul className="comments" data-testid="comments">
            {comments.list.slice(0, 200).map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
