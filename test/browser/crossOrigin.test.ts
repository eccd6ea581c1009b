import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * A RealWorld-style page of our own (test/browser/fixtures), served by a tiny static server on one
 * origin, drives the API listening on another from headless Chromium: every call is a real
 * cross-origin fetch with preflights, so CORS, the exposed headers and the error shape are checked
 * the way a front end meets them. Without a Chromium the suite is reported skipped, never passed.
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) candidates.push(path.join(directory, 'chromium'));
  return candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
}

const executablePath = findChromium();
if (!executablePath) console.log('browser tests skipped: no Chromium found (install Debian\'s chromium, or set CHROMIUM_PATH)');
const describeWithBrowser = executablePath ? describe : describe.skip;

/** Serves the fixture page and its script, nothing else. */
async function startStaticServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const files: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/app.js': 'app.js' };
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)]! }).end(readFileSync(path.join(FIXTURES, file)));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describeWithBrowser('a RealWorld page on another origin, in headless Chromium', () => {
  let page: Awaited<ReturnType<typeof startStaticServer>>;
  let api: TestApi;
  let browser: Browser;

  beforeAll(async () => {
    page = await startStaticServer();
    // Only the page's origin is allowed, as an operator would configure it.
    api = await startTestApi({ env: { CORS_ORIGINS: page.origin } });
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await page?.close();
  });

  it('signs up, logs in, publishes, favorites two articles in a row, unfavorites, comments, follows, and shows a 401 and a 422', async () => {
    const author = await registerUser(api);
    for (const title of ['First by the author', 'Second by the author']) {
      await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title, description: 'd', body: 'b' } }).expect(201);
    }
    const { port } = api.server.address() as AddressInfo;
    const apiUrl = `http://127.0.0.1:${port}/api`;
    expect(new URL(apiUrl).origin).not.toBe(page.origin);
    const username = `browser${Date.now() % 1_000_000}`;

    const tab = await browser.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await tab.goto(`${page.origin}/?${new URLSearchParams({ api: apiUrl, username, author: author.username })}`);
    await tab.locator('#done').waitFor({ state: 'visible', timeout: 20_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: path.join(ARTIFACTS, 'browser-cross-origin.png'), fullPage: true });

    const steps = await tab.$$eval('#steps li', (items) => items.map((li) => ({ step: li.getAttribute('data-step'), status: li.getAttribute('data-status'), text: li.textContent })));
    const shown = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(shown.failure).toBeUndefined();
    expect(steps.map((s) => [s.step, s.status])).toEqual([
      ['sign-up', '201'],
      ['login', '200'],
      ['publish', '201'],
      ['list', '200'],
      ['favorite first', '200'],
      ['favorite second', '200'], // two favorites in a row are both plain successes
      ['unfavorite first', '200'],
      ['comment', '200'],
      ['follow', '200'],
      ['401', '401'],
      ['422', '422'],
    ]);
    expect(shown['sign-up']!.text).toBe(`sign-up: 201 ${username}`);
    expect(shown['login']!.text).toBe('login: 200 token received');
    expect(shown['publish']!.text).toBe(`publish: 201 Hello from ${username}`);
    expect(shown['list']!.text).toBe(`list: 200 2 articles by ${author.username}`);
    expect(shown['favorite first']!.text).toBe('favorite first: 200 favorited=true');
    expect(shown['favorite second']!.text).toBe('favorite second: 200 favorited=true');
    expect(shown['unfavorite first']!.text).toBe('unfavorite first: 200 favorited=false');
    expect(shown['comment']!.text).toBe('comment: 200 Nice one, from the browser.');
    expect(shown['follow']!.text).toBe('follow: 200 following=true');
    // The page could read the error bodies and the exposed X-Request-Id of the 401.
    expect(shown['401']!.text).toMatch(/^401: 401 body \S.* \(request id browser-get\)$/);

    // What a Conduit client prints for an error: each problem once, every taken field.
    const errors = await tab.$$eval('#errors li', (items) => items.map((li) => [li.getAttribute('data-error'), li.textContent]));
    expect(errors.filter(([name]) => name === '401')).toHaveLength(1);
    expect(errors.filter(([name]) => name === '422')).toEqual([
      ['422', 'body username has already been taken'],
      ['422', 'body email has already been taken'],
    ]);
    expect(consoleErrors.filter((line) => /CORS|Access-Control/i.test(line))).toEqual([]);
    await tab.close();
  });

  it('is refused by the browser when its origin is not allowed', async () => {
    const { port } = api.server.address() as AddressInfo;
    const tab = await browser.newPage();
    // The same page served from "localhost" instead of "127.0.0.1": another origin, not on the list.
    const elsewhere = page.origin.replace('127.0.0.1', 'localhost');
    await tab.goto(`${elsewhere}/?${new URLSearchParams({ api: `http://127.0.0.1:${port}/api`, username: 'refused', author: 'nobody' })}`);
    await tab.locator('#done').waitFor({ state: 'visible', timeout: 20_000 });
    const failure = await tab.locator('li[data-step="failure"]').textContent();
    expect(failure).toMatch(/^failure: TypeError: Failed to fetch/);
    await tab.close();
  });
});
