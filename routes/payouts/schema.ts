import { pageQuerySchema } from '../pagination';

export const payoutsPageSchema = pageQuerySchema(20, 100);
