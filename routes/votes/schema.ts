import { pageQuerySchema } from '../pagination';

/** An article's votes, oldest first: at most `limit` (default 100, at most 1000) from `offset`; `votesCount` counts them all. */
export const votesPageSchema = pageQuerySchema(100, 1000);
