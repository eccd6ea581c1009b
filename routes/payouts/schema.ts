import { pageQuerySchema } from '../pagination';

export { articleParams } from '../articles/schema';
export { commentParams } from '../comments/schema';
export { profileParams } from '../profiles/schema';

export const payoutsPageSchema = pageQuerySchema(20, 100);
