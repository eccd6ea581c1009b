import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { sharedPath, skipWithoutShared } from '../support/shared';

/**
 * Validates real responses against the RealWorld contract (../shared/realworld/openapi.yml) with
 * a JSON Schema validator: every operation, its documented status, and its response schema.
 */
const contractFile = sharedPath('realworld', 'openapi.yml');

if (!contractFile) {
  skipWithoutShared('RealWorld OpenAPI contract validation', 'realworld/openapi.yml');
} else {
  type Operation = { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> };
  const contract = parse(readFileSync(contractFile, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...contract, $id: 'realworld' });

  const validated = new Set<string>();

  function expectConforms(path: string, method: string, status: number, body: unknown): void {
    const operation = contract.paths[path]?.[method];
    if (!operation) throw new Error(`no operation ${method.toUpperCase()} ${path} in the contract`);
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which the contract does not document`);
    const resolved = response.$ref ? contract.components.responses[response.$ref.split('/').pop()!]! : response;
    const schema = resolved.content?.['application/json']?.schema;
    validated.add(`${method.toUpperCase()} ${path} ${status}`);
    if (!schema) return; // e.g. 204 EmptyOkResponse
    const ref = response.$ref
      ? `realworld#/components/responses/${response.$ref.split('/').pop()}/content/application~1json/schema`
      : `realworld#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`cannot resolve ${ref}`);
    if (!validate(body)) {
      throw new Error(`${method.toUpperCase()} ${path} ${status} does not match the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
  }

  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  test('every operation answers with a documented status and a conforming body', async () => {
    const call = async (method: 'get' | 'post' | 'put' | 'delete', contractPath: string, url: string, token?: string, body?: unknown) => {
      let req = api.http()[method](url);
      if (token) req = req.set(auth(token));
      const response = await (body === undefined ? req : req.send(body as object));
      expectConforms(contractPath, method, response.status, response.status === 204 ? undefined : response.body);
      return response;
    };

    const reg = await call('post', '/users', '/api/users', undefined, { user: { username: 'contract_u', email: 'contract@example.com', password: 'a long enough passphrase' } });
    expect(reg.status).toBe(201);
    await call('post', '/users', '/api/users', undefined, { user: { username: 'contract_u', email: 'contract@example.com', password: 'a long enough passphrase' } });
    const login = await call('post', '/users/login', '/api/users/login', undefined, { user: { email: 'contract@example.com', password: 'a long enough passphrase' } });
    const token = login.body.user.token as string;
    await call('post', '/users/login', '/api/users/login', undefined, { user: { email: 'contract@example.com', password: 'wrong-password' } });
    await call('get', '/user', '/api/user', token);
    await call('put', '/user', '/api/user', token, { user: { bio: 'bio' } });
    await call('put', '/user', '/api/user', token, { user: { email: 'bad' } });

    const celeb = await registerUser(api, 'celeb_contract');
    await call('get', '/profiles/{username}', `/api/profiles/${celeb.username}`, token);
    await call('post', '/profiles/{username}/follow', `/api/profiles/${celeb.username}/follow`, token);
    await call('delete', '/profiles/{username}/follow', `/api/profiles/${celeb.username}/follow`, token);

    const created = await call('post', '/articles', '/api/articles', token, {
      article: { title: 'Contract article', description: 'd', body: 'Body with *markdown*', tagList: ['contract'] },
    });
    expect(created.status).toBe(201);
    const slug = created.body.article.slug as string;
    await call('post', '/articles', '/api/articles', token, { article: { title: '' } });
    await call('get', '/articles', '/api/articles');
    await call('get', '/articles', '/api/articles?tag=contract&limit=5&offset=0', token);
    await call('get', '/articles', '/api/articles?limit=0');
    await call('get', '/articles/feed', '/api/articles/feed', token);
    await call('get', '/articles/{slug}', `/api/articles/${slug}`);
    await call('put', '/articles/{slug}', `/api/articles/${slug}`, token, { article: { body: 'With two hands' } });
    await call('post', '/articles/{slug}/favorite', `/api/articles/${slug}/favorite`, token);
    await call('delete', '/articles/{slug}/favorite', `/api/articles/${slug}/favorite`, token);
    const comment = await call('post', '/articles/{slug}/comments', `/api/articles/${slug}/comments`, token, { comment: { body: 'Thanks' } });
    await call('get', '/articles/{slug}/comments', `/api/articles/${slug}/comments`, token);
    await call('delete', '/articles/{slug}/comments/{id}', `/api/articles/${slug}/comments/${comment.body.comment.id}`, token);
    await call('get', '/tags', '/api/tags');
    await call('delete', '/articles/{slug}', `/api/articles/${slug}`, token);

    for (const path of ['/user', '/articles/feed']) await call('get', path, `/api${path}`);

    const operations = Object.entries(contract.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set([...validated].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    expect(operations.filter((op) => !covered.has(op))).toEqual([]);
  });
}
