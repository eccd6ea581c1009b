export { articleParams } from '../articles/schema';
export { feedQuerySchema as bookmarksPageSchema } from '../articles/schema';
