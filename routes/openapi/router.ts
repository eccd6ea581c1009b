import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Router from '@koa/router';
import { validate } from '../middleware/validate';
import { openApiDocument } from './document';
import { docsAssetParams } from './schema';

/**
 * The API described: `GET /api/openapi.json` (OpenAPI 3.1, generated from the zod schemas) and
 * `GET /api/docs`, a Swagger UI page served from this app alone (swagger-ui-dist from node_modules,
 * and an initializer script of its own), so it works offline and under a strict CSP: scripts,
 * styles, images and fetches from 'self' only (plus data: images, which swagger-ui's CSS uses).
 */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inkwell API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;

/** Found at run time: swagger-ui-dist stays external to the esbuild bundle (`--packages=external`). */
function assetFiles(): Record<string, { file: string; type: string }> {
  const require = createRequire(__filename);
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  return {
    'swagger-ui.css': { file: path.join(swaggerDir, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
    'swagger-ui-bundle.js': { file: path.join(swaggerDir, 'swagger-ui-bundle.js'), type: 'application/javascript; charset=utf-8' },
  };
}

/** The page's initializer: served as a file of its own, not inlined, so the page's CSP can be script-src 'self'. */
export const DOCS_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

export function openApiRouter(): Router {
  const router = new Router({ prefix: '/api' });
  let documentJson: string | undefined;
  const assets = new Map<string, Promise<Buffer>>();
  const files = assetFiles();

  router.get('/openapi.json', (ctx) => {
    documentJson ??= JSON.stringify(openApiDocument());
    ctx.type = 'application/json';
    ctx.body = documentJson;
  });

  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_HTML;
  });

  router.get('/docs/docs.js', (ctx) => {
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = DOCS_SCRIPT;
  });

  router.get('/docs/:asset', validate({ params: docsAssetParams }), async (ctx) => {
    const name = ctx.state.input.params.asset;
    const asset = files[name];
    if (!asset) return; // 404 from the error handler
    let content = assets.get(name);
    if (!content) {
      content = readFile(asset.file);
      assets.set(name, content);
      content.catch(() => assets.delete(name));
    }
    ctx.set('Content-Security-Policy', DOCS_CSP);
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = asset.type;
    ctx.body = await content;
  });

  return router;
}
