import { z } from 'zod';

export const leaderboardQuerySchema = z.object({ period: z.enum(['day', 'week', 'month']).default('week') });
/** An unknown board is a 404 naming the boards (the router checks it), not a 422. */
export const leaderboardParams = z.object({ board: z.string().describe('authors, curators or rising') });
