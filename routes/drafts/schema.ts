import { z } from 'zod';
import { draftSchema } from '../articles/schema';
import { pageQuerySchema } from '../pagination';

export const draftBody = z.object({ draft: draftSchema });
/** The viewer's drafts, most recently edited first: at most `limit` (default 20, at most 100) from `offset`. */
export const draftsPageSchema = pageQuerySchema(20, 100);
/** `/api/drafts/:id`: a draft that is not the viewer's, or not a draft id at all, is a 404 (the command decides). */
export const draftParams = z.object({ id: z.string().describe('The draft’s id') });
