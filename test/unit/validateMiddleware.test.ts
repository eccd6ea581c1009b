import http from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { z } from 'zod';
import { validate } from '../../routes/middleware/validate';
import { errorHandler } from '../../server/http/errorHandler';

/** `validate` puts each part as its schema parsed it on `ctx.state.input`; a failing part is the usual 422 naming the field. */
function app() {
  const router = new Router();
  router.post(
    '/things/:id',
    validate({
      params: z.object({ id: z.coerce.number({ message: 'must be an integer' }).int().positive() }),
      query: z.object({ limit: z.coerce.number().int().max(10).default(5) }),
      body: z.object({ thing: z.object({ name: z.string().trim().min(1, "can't be blank") }) }),
    }),
    (ctx) => {
      const { params, query, body } = ctx.state.input;
      // Typed as parsed: numbers, the trimmed name, the default filled in.
      const answer: { id: number; limit: number; name: string } = { id: params.id, limit: query.limit, name: body.thing.name };
      ctx.body = answer;
    },
  );
  const koa = new Koa();
  koa.use(errorHandler());
  koa.use(bodyParser());
  koa.use(router.routes());
  return http.createServer(koa.callback());
}

describe('validate middleware', () => {
  test('hands the handler the parsed params, query and body', async () => {
    const response = await request(app()).post('/things/7').send({ thing: { name: '  lamp ' } }).expect(200);
    expect(response.body).toEqual({ id: 7, limit: 5, name: 'lamp' });
  });

  test.each([
    ['a bad path parameter', '/things/abc', { thing: { name: 'x' } }, { id: ['must be an integer'] }],
    ['a bad query parameter', '/things/1?limit=11', { thing: { name: 'x' } }, { limit: [expect.any(String)] }],
    ['a bad body field (named inside its wrapper)', '/things/1', { thing: { name: ' ' } }, { name: ["can't be blank"] }],
  ])('answers %s with a 422 naming the field', async (_what, path, body, fields) => {
    const response = await request(app()).post(path).send(body).expect(422);
    expect(response.body.fields).toEqual(fields);
    expect(response.body.errors.body).toHaveLength(1);
  });

  test('an absent body is validated as {}', async () => {
    const response = await request(app()).post('/things/1').expect(422);
    expect(response.body.fields).toEqual({ thing: [expect.any(String)] });
  });
});
