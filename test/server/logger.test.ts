import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import path from 'node:path';
import { createLogger } from '../../lib/logger';
import { addresses } from '../../server/platform';

const ROOT = path.resolve(__dirname, '../..');

describe('log format', () => {
  it('is JSON lines when stdout is not a terminal (a pipe, a file, a collector)', () => {
    const script = "require('./lib/logger.ts').createLogger('info').info({ token: 'secret-token', n: 1 }, 'hello from a pipe')";
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 30, msg: 'hello from a pipe', n: 1, token: '[redacted]', service: 'inkwell' });
  }, 60_000);

  it('is readable lines when asked (what a terminal gets), still redacted', () => {
    let written = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    createLogger('info', sink, { pretty: true }).info({ password: 'hunter2-hunter2', n: 1 }, 'hello, reader');
    expect(written).toContain('INFO');
    expect(written).toContain('hello, reader');
    expect(written).toContain('[redacted]');
    expect(written).not.toContain('hunter2');
    expect(() => JSON.parse(written.split('\n')[0]!)).toThrow();
  });
});

it('start-up names the site, the API, its reference page and the devnet', () => {
  expect(addresses('http://127.0.0.1:3000', 'http://127.0.0.1:8091')).toEqual({
    url: 'http://127.0.0.1:3000',
    site: 'http://127.0.0.1:3000/',
    api: 'http://127.0.0.1:3000/api',
    docs: 'http://127.0.0.1:3000/api/docs',
    devnet: 'http://127.0.0.1:8091',
  });
  expect(addresses('http://127.0.0.1:3000')).not.toHaveProperty('devnet');
});
