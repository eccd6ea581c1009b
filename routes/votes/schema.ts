import { z } from 'zod';
import { pageQuerySchema } from '../pagination';

export { articleParams } from '../articles/schema';
export { commentParams } from '../comments/schema';

/** A post's (an article's or a comment's) votes, oldest first: at most `limit` (default 100, at most 1000) from `offset`; `votesCount` counts them all. */
export const votesPageSchema = pageQuerySchema(100, 1000);

export const voteSchema = z.object({ vote: z.object({ weight: z.number().int('must be an integer').min(-10000).max(10000) }) });
export const votePreviewSchema = z.object({ weight: z.coerce.number().int('must be an integer').min(-10000).max(10000) });
