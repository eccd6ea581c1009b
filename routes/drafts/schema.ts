import { z } from 'zod';
import { draftSchema } from '../articles/schema';
import { pageQuerySchema } from '../pagination';

export const draftBody = z.object({ draft: draftSchema });
/** The viewer's drafts, most recently edited first: at most `limit` (default 20, at most 100) from `offset`. */
export const draftsPageSchema = pageQuerySchema(20, 100);
