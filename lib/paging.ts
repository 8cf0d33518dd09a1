import { z } from 'zod';

/**
 * Lists at county scale come a page at a time: `page` (from 1) and `limit` bound every answer, `q`
 * searches. The answer says which page it is and how many rows match in all, so a client can walk
 * the pages or show a pager.
 */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  q: z.string().trim().max(100).optional(),
});
export type PageQuery = z.output<typeof pageQuery>;

export const pageInfo = { page: z.number().int(), limit: z.number().int(), total: z.number().int() };

/** The rows to skip for a page. */
export const offsetOf = (p: { page: number; limit: number }) => (p.page - 1) * p.limit;

/** A search term for ILIKE, with its wildcards taken literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
