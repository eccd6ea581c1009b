import { Writable } from 'node:stream';
import Router from '@koa/router';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../server/app';
import { AppError, conflict, forbidden, notFound, unauthorized, validationFailed } from '../../lib/errors';
import { listen } from '../../server/httpServer';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../lib/logger';
import { parseSteem } from '../../domain/money';

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

function appWith(configure: (router: Router) => void) {
  const logs = captureLogs();
  const router = new Router();
  configure(router);
  return { app: createApp({ logger: logs.logger, routers: [router] }), logs };
}

describe('HTTP basics', () => {
  it.each([
    ['validation', validationFailed('is too short', 'title'), 422, { errors: { body: ['title is too short'] }, fields: { title: ['is too short'] } }],
    ['unauthorized', unauthorized('token expired', 'token'), 401, { errors: { body: ['token expired'] }, fields: { token: ['token expired'] } }],
    ['field-named', validationFailed('has expired', 'token'), 422, { errors: { body: ['token has expired'] }, fields: { token: ['has expired'] } }],
    ['forbidden', forbidden('not yours'), 403, { errors: { body: ['not yours'] } }],
    ['not found', notFound('no such article', 'article'), 404, { errors: { body: ['article no such article'] }, fields: { article: ['no such article'] } }],
    ['conflict', conflict('already settled'), 409, { errors: { body: ['already settled'] } }],
    [
      'multi-field validation',
      new AppError('validation', { username: ['has already been taken'], email: ['has already been taken', 'is not allowed'] }),
      422,
      {
        errors: { body: ['username has already been taken', 'email has already been taken', 'email is not allowed'] },
        fields: { username: ['has already been taken'], email: ['has already been taken', 'is not allowed'] },
      },
    ],
  ])('maps a %s error to its status and the RealWorld error shape (each problem once in errors.body, by field in fields)', async (_name, error, status, expected) => {
    const { app } = appWith((r) => r.get('/boom', () => {
      throw error as AppError;
    }));
    const response = await request(app.callback()).get('/boom');
    expect(response.status).toBe(status);
    expect(response.body).toEqual(expected);
  });

  it('answers a schema failure with every failing field, including an article body, each as one sentence', async () => {
    const schema = z.object({ article: z.object({ title: z.string({ message: 'is required' }), body: z.string().max(3, 'is too long') }) });
    const { app } = appWith((r) => r.post('/articles', (ctx) => {
      schema.parse(ctx.request.body);
    }));
    const response = await request(app.callback()).post('/articles').send({ article: { body: 'too long' } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      errors: { body: ['title is required', 'body is too long'] },
      fields: { title: ['is required'], body: ['is too long'] },
    });
    const notAnObject = await request(app.callback()).post('/articles').set('Content-Type', 'application/json').send('[1]');
    expect(notAnObject.status).toBe(422);
    expect(Object.keys(notAnObject.body)).toEqual(['errors']);
  });

  it('answers an asset string a handler could not parse with 422 in the RealWorld error shape, not a 500', async () => {
    const { app, logs } = appWith((r) => r.post('/amounts', (ctx) => {
      ctx.body = { amount: parseSteem((ctx.request.body as { amount: string }).amount).toString() };
    }));
    const parsed = await request(app.callback()).post('/amounts').send({ amount: '1.500 STEEM' });
    expect(parsed.status).toBe(200);
    expect(parsed.body).toEqual({ amount: '1500' });
    const response = await request(app.callback()).post('/amounts').send({ amount: '1.5 STEEM' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ errors: { body: [expect.stringContaining('exactly 3 fractional digits')] } });
    expect(logs.lines.some((line) => line.msg === 'unhandled error')).toBe(false);
  });

  it('answers an unexpected error with a generic 500, logging the stack but never sending it', async () => {
    const { app, logs } = appWith((r) => r.get('/crash', () => {
      throw new Error('secret internal detail at /srv/db.ts:12');
    }));
    const response = await request(app.callback()).get('/crash');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ errors: { body: ['internal server error'] } });
    expect(response.text).not.toContain('secret internal detail');
    const logged = logs.lines.find((line) => line.msg === 'unhandled error') as { err: { stack: string } };
    expect(logged.err.stack).toContain('secret internal detail');
  });

  it('answers malformed JSON with 400 and a clear message', async () => {
    const { app } = appWith((r) => r.post('/echo', (ctx) => {
      ctx.body = ctx.request.body;
    }));
    const response = await request(app.callback()).post('/echo').set('Content-Type', 'application/json').send('{"user": {');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errors: { body: ['malformed JSON in request body'] } });
  });

  it('answers an oversized body with 413', async () => {
    const { app } = appWith((r) => r.post('/echo', (ctx) => {
      ctx.body = { ok: true };
    }));
    const huge = JSON.stringify({ article: { body: 'x'.repeat(300 * 1024) } });
    const response = await request(app.callback()).post('/echo').set('Content-Type', 'application/json').send(huge);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ errors: { body: ['request body is too large'] } });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const { app } = appWith(() => {});
    const response = await request(app.callback()).get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ errors: { body: ['no route for GET /api/nothing-here'] } });
  });

  it('puts a request id in the response header and on every log line of the request', async () => {
    const { app, logs } = appWith((r) => r.get('/work', (ctx) => {
      ctx.state.log.info('doing the work');
      ctx.body = { ok: true };
    }));
    const generated = await request(app.callback()).get('/work');
    const id = generated.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = logs.lines.filter((line) => line.requestId === id);
    expect(lines.map((line) => line.msg)).toEqual(['doing the work', 'request']);

    const supplied = await request(app.callback()).get('/work').set('X-Request-Id', 'trace-abc.123');
    expect(supplied.headers['x-request-id']).toBe('trace-abc.123');
    const unsafe = await request(app.callback()).get('/work').set('X-Request-Id', 'bad id <script>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts credentials from log lines', () => {
    const { logger, lines } = captureLogs();
    logger.info({ user: { password: 'hunter2', token: 'jwt.jwt.jwt' }, activeKey: '5Jsecret' }, 'login');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('jwt.jwt.jwt');
    expect(text).not.toContain('5Jsecret');
  });

  it('shuts down gracefully: a request in flight completes, new connections are refused', async () => {
    let releaseSlowRequest!: () => void;
    let slowRequestArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (slowRequestArrived = resolve));
    const { app } = appWith((r) => r.get('/slow', async (ctx) => {
      slowRequestArrived();
      await new Promise<void>((resolve) => (releaseSlowRequest = resolve));
      ctx.body = { finished: true };
    }));
    const running = await listen(app, { ...loadConfig({}).http, port: 0 });
    const inFlight = fetch(`${running.url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await arrived;
    const closed = running.close(5000);
    await expect(fetch(`${running.url}/slow`)).rejects.toThrow();
    releaseSlowRequest();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { finished: true } });
    await closed;
  });
});
