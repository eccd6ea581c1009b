import { z } from 'zod';
import { articleParams } from '../articles/schema';
import { pageQuerySchema } from '../pagination';

export { articleParams };

export const newCommentSchema = z.object({
  comment: z.object({
    body: z.string().trim().min(1, "can't be blank").max(16 * 1024, 'is too long (at most 16384 characters)'),
    parentId: z.number().int().positive().optional(),
  }),
});
/**
 * RealWorld lists all of an article's comments; Inkwell answers at most `limit` (default 100, at most
 * 500) from `offset` (the article's `commentsCount` says how many there are).
 */
export const COMMENTS_DEFAULT_LIMIT = 100;
export const COMMENTS_MAX_LIMIT = 500;
export const commentsPageSchema = pageQuerySchema(COMMENTS_DEFAULT_LIMIT, COMMENTS_MAX_LIMIT);
export const commentIdSchema = z.coerce.number({ message: 'must be an integer' }).int().positive();
/** `/api/articles/:slug/comments/:id`: the article and the comment's integer id. */
export const commentParams = articleParams.extend({ id: commentIdSchema });
