import { z } from 'zod';

/** `/api/docs/:asset`: an unknown asset is a 404. */
export const docsAssetParams = z.object({ asset: z.string().describe('swagger-ui.css or swagger-ui-bundle.js') });
