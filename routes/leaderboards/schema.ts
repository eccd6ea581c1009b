import { z } from 'zod';

export const leaderboardQuerySchema = z.object({ period: z.enum(['day', 'week', 'month']).default('week') });
