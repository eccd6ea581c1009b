import { z } from 'zod';

export { feedQuerySchema as notificationsPageSchema } from '../articles/schema';

export const readSchema = z.object({
  until: z.union([
    z.string().regex(/^[0-9a-f]{24}$/i).transform((id) => ({ id })),
    z.iso.datetime({ offset: true }).transform((time) => ({ time: new Date(time) })),
  ], { message: 'must be a notification id or an ISO 8601 date-time' }),
});
