import { z } from 'zod';

/** `/api/profiles/:username…`: usernames match without regard to case. */
export const profileParams = z.object({ username: z.string().describe('A username') });
