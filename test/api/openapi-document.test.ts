import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type Router from '@koa/router';
import { apiRouters } from '../../server/routers';
import type { Response } from 'supertest';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { responseValidator, VALIDATION_ALLOWLIST } from '../support/openapiValidation';

/**
 * `GET /api/openapi.json` is a sound OpenAPI 3.1 document that describes every route the routers
 * serve (and nothing they do not), and `GET /api/docs` is a page that loads only its own assets.
 * (That every response conforms to it is checked by test/support/openapiValidation.ts on every test.)
 */

type Json = Record<string, unknown>;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let api: TestApi;
let doc: Json & { paths: Record<string, Record<string, Json>>; components: Json & { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

beforeAll(async () => {
  api = await startTestApi();
  const response = await api.http().get('/api/openapi.json').expect(200).expect('Content-Type', /application\/json/);
  doc = response.body;
});
afterAll(() => api.close());

function resolvePointer(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

function* walk(node: unknown, at: string): Generator<[string, Json]> {
  if (!node || typeof node !== 'object') return;
  yield [at, node as Json];
  for (const [key, value] of Object.entries(node)) yield* walk(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

describe('GET /api/openapi.json', () => {
  test('is an OpenAPI 3.1 document with info, paths, components and the Token security scheme', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(doc.components.securitySchemes.Token).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }));
    expect(doc.components.schemas.GenericErrorModel).toBeDefined();
  });

  test('every $ref resolves', () => {
    const unresolved: string[] = [];
    for (const [at, node] of walk(doc, '#')) {
      if (typeof node.$ref === 'string' && resolvePointer(node.$ref) === undefined) unresolved.push(`${at}: ${node.$ref}`);
    }
    expect(unresolved).toEqual([]);
  });

  test('ajv compiles every schema (components, parameters, request bodies, responses)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: 'doc' });
    const refs: string[] = Object.keys(doc.components.schemas).map((name) => `doc#/components/schemas/${name}`);
    for (const [at, node] of walk(doc.paths, '#/paths')) {
      if ('schema' in node && node.schema && typeof node.schema === 'object') refs.push(`doc${at}/schema`);
    }
    expect(refs.length).toBeGreaterThan(100);
    const broken = refs.filter((ref) => {
      try {
        return !ajv.getSchema(ref);
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });

  test('every operation is well formed: responses with the error model, path parameters declared, security schemes known', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!HTTP_METHODS.includes(method)) continue;
        const label = `${method.toUpperCase()} ${path}`;
        const responses = op.responses as Record<string, Json> | undefined;
        if (!responses || Object.keys(responses).length === 0) problems.push(`${label}: no responses`);
        for (const [status, response] of Object.entries(responses ?? {})) {
          if (!/^[1-5]\d\d$/.test(status)) problems.push(`${label}: status ${status}`);
          if (typeof response.description !== 'string') problems.push(`${label} ${status}: no description`);
          const schema = (response.content as Json | undefined)?.['application/json'] as Json | undefined;
          if (Number(status) >= 400 && (schema?.schema as Json | undefined)?.$ref !== '#/components/schemas/GenericErrorModel' && !(path === '/readyz' && status === '503')) {
            problems.push(`${label} ${status}: not the GenericErrorModel`);
          }
        }
        const declared = new Set(((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path').map((p) => p.name));
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) if (!declared.has(name)) problems.push(`${label}: path parameter ${name} not declared`);
        for (const requirement of (op.security as Json[] | undefined) ?? []) {
          for (const scheme of Object.keys(requirement)) if (!(scheme in doc.components.securitySchemes)) problems.push(`${label}: unknown security scheme ${scheme}`);
        }
        if (op.security && (op.security as Json[]).some((r) => 'Token' in r) && !responses?.['401']) problems.push(`${label}: authenticated but no 401`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('documents exactly the routes the routers serve', () => {
    const served = new Set<string>();
    // The API's routers: the site's pages and feeds (server/routers.ts `siteRouters`) are outside /api and the document.
    for (const router of apiRouters(api.services) as Router[]) {
      for (const layer of router.stack) {
        const methods = layer.methods.filter((m) => m !== 'HEAD');
        if (methods.length === 0) continue; // router.use(...) middleware
        const path = String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
        for (const method of methods) served.add(`${method} ${path}`);
      }
    }
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => HTTP_METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    expect(served.size).toBeGreaterThan(50);
    expect([...served].filter((route) => !documented.has(route)).sort()).toEqual([]);
    expect([...documented].filter((route) => !served.has(route)).sort()).toEqual([]);
  });
});

describe('operations no other test exercises (their answers are validated against the document too)', () => {
  test('DELETE /api/drafts/{id}: 204, then 404', async () => {
    const { token } = await registerUser(api);
    const created = await api.http().post('/api/drafts').set(auth(token)).send({ draft: { title: 'to delete' } }).expect(201);
    await api.http().delete(`/api/drafts/${created.body.draft.id}`).set(auth(token)).expect(204);
    await api.http().delete(`/api/drafts/${created.body.draft.id}`).set(auth(token)).expect(404);
  });
});

describe('GET /api/docs', () => {
  test('serves an HTML page that loads only same-origin assets, which answer 200, under a CSP of its own', async () => {
    const page = await api.http().get('/api/docs').expect(200).expect('Content-Type', /text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self'");

    const html = page.text;
    // No inline script: every <script> has a src (the CSP would block an inline one anyway).
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
    const assets = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map(([, url]) => url!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const url of assets) {
      expect(url).toMatch(/^\/(?!\/)/); // same origin: a path, never a scheme or a protocol-relative URL
      const asset = await api.http().get(url);
      expect({ url, status: asset.status }).toEqual({ url, status: 200 });
      expect(asset.headers['content-type']).toMatch(/^(text\/css|application\/javascript)/);
      expect(Number(asset.headers['content-length'] ?? (asset.text ?? '').length)).toBeGreaterThan(0);
    }
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/docs.js']));

    // The initializer loads this app's document, not a remote one.
    const script = await api.http().get('/api/docs/docs.js').expect(200);
    expect(script.text).toContain("url: '/api/openapi.json'");
    expect(script.text).not.toMatch(/https?:\/\//);
  });

  test('answers 404 for an asset it does not serve (nothing else of node_modules is reachable)', async () => {
    await api.http().get('/api/docs/package.json').expect(404);
    await api.http().get('/api/docs/..%2Fpackage.json').expect(404);
  });
});

describe('the response validator every API test runs (test/support/openapiValidation.ts)', () => {
  const answer = (status: number, body?: unknown, type = 'application/json') =>
    ({ status, body: body ?? {}, type: body === undefined ? '' : type, text: body === undefined ? '' : JSON.stringify(body) }) as unknown as Response;
  const validator = () => responseValidator();

  test('passes conforming answers', () => {
    expect(validator().check('GET', '/api/tags', answer(200, { tags: ['a'] }))).toBeUndefined();
    expect(validator().check('GET', '/api/articles/feed?limit=1', answer(200, { articles: [], articlesCount: 0 }))).toBeUndefined();
    expect(validator().check('POST', '/api/user/logout', answer(204))).toBeUndefined();
    expect(validator().check('GET', '/api/articles/x', answer(404, { errors: { body: ['article not found'], slug: ['not found'] }, more: 1 }))).toBeUndefined();
    expect(validator().check('GET', '/api/nowhere', answer(404, { errors: { body: ['no route'] } }))).toBeUndefined();
  });

  test('flags drift: a wrong body, an undocumented status, an unknown route, an error without errors.body', () => {
    expect(validator().check('GET', '/api/tags', answer(200, { tags: [1] }))).toMatch(/does not match/);
    expect(validator().check('GET', '/api/tags', answer(418, { errors: { body: ['teapot'] } }))).toMatch(/not documented/);
    expect(validator().check('GET', '/api/articles/feed', answer(200, { articles: [{ slug: 's' }], articlesCount: 1 }))).toMatch(/does not match/);
    expect(validator().check('GET', '/api/nowhere', answer(200, {}))).toMatch(/no operation/);
    expect(validator().check('GET', '/api/articles/x', answer(404, { errors: { slug: ['not found'] } }))).toMatch(/does not match/);
    expect(validator().check('POST', '/api/user/logout', answer(204, { unexpected: true }))).toMatch(/without a body/);
  });

  test('the allowlist of unchecked operations is empty', () => {
    expect([...VALIDATION_ALLOWLIST.keys()]).toEqual([]);
  });
});
