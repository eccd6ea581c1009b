import { z } from 'zod';
import { markdownBody } from '../articles/schema';

export const previewSchema = z.object({ body: markdownBody });
