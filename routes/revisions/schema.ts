import { feedQuerySchema } from '../articles/schema';

export { articleParams } from '../articles/schema';

/** An article's revisions, oldest first: at most `limit` (default 20, at most 100) from `offset`. */
export const revisionsPageSchema = feedQuerySchema;
