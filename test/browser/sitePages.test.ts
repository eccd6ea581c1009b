/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';

/**
 * The server-rendered site in headless Chromium, with no script on the page: each page renders its
 * content, loads the app's stylesheet under the pages' Content-Security-Policy, and passes axe-core's
 * accessibility rules with no serious or critical violation; the search form works without JavaScript.
 * A screenshot of each page goes to test-artifacts/. Without a Chromium the suite is reported skipped.
 */
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) candidates.push(path.join(directory, 'chromium'));
  return candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
}

const executablePath = findChromium();
if (!executablePath) console.log('site browser tests skipped: no Chromium found (install Debian\'s chromium, or set CHROMIUM_PATH)');
const describeWithBrowser = executablePath ? describe : describe.skip;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page: its source is evaluated through the DevTools protocol (the page's CSP rightly refuses any script tag). */
async function accessibilityViolations(tab: Page): Promise<AxeViolation[]> {
  await tab.evaluate(AXE_SOURCE);
  const results = await tab.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
}

describeWithBrowser('the site in headless Chromium', () => {
  let api: TestApi;
  let browser: Browser;
  let origin: string;
  let author: { token: string; username: string };
  let slug: string;

  beforeAll(async () => {
    api = await startTestApi();
    origin = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    author = await registerUser(api);
    await api.http().put('/api/user').set(auth(author.token)).send({ user: { bio: 'Writes about lighthouses.' } }).expect(200);
    const body = '## Keepers\n\nThe **lamp** is lit at dusk.\n\n![A lighthouse at dusk](https://img.example/lighthouse.png)\n\n> Every light has a keeper.\n';
    const created = await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Lighthouses of the north', description: 'On keepers and lamps', body, tagList: ['lighthouses', 'sea'] } }).expect(201);
    slug = created.body.article.slug;
    const reader = await registerUser(api);
    const comment = await api.http().post(`/api/articles/${slug}/comments`).set(auth(reader.token)).send({ comment: { body: 'Lovely piece.' } }).expect(200);
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'Thank you!', parentId: comment.body.comment.id } }).expect(200);
    await api.http().post(`/api/articles/${slug}/favorite`).set(auth(reader.token)).expect(200);
    await api.http().post('/api/articles').set(auth(author.token)).send({ article: { title: 'Foghorns', description: 'Loud', body: 'They are loud.', tagList: ['sea'] } }).expect(201);
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Opens a page (images from elsewhere refused: the machine is offline), collecting CSP reports. */
  async function open(address: string): Promise<{ tab: Page; cspReports: string[] }> {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cspReports: string[] = [];
    tab.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
    });
    await tab.route(/^https:\/\//, (route) => route.abort());
    const response = await tab.goto(`${origin}${address}`);
    expect(response?.status()).toBe(200);
    return { tab, cspReports };
  }

  async function check(tab: Page, cspReports: string[], name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await tab.screenshot({ path: path.join(ARTIFACTS, `site-${name}.png`), fullPage: true });
    // The stylesheet loaded under the page's policy (its rules apply); no script element but the JSON-LD data.
    expect(await tab.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe(`${46 * 18}px`);
    expect(await tab.locator('script:not([type="application/ld+json"])').count()).toBe(0);
    expect(cspReports).toEqual([]);
    const serious = (await accessibilityViolations(tab)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
    await tab.context().close();
  }

  jest.setTimeout(120_000);

  it('the article page: title, byline, body, tags, rewards, threaded comments', async () => {
    const { tab, cspReports } = await open(`/@${author.username}/${slug}`);
    await expect(tab.title()).resolves.toBe('Lighthouses of the north · Inkwell');
    expect(await tab.locator('h1').textContent()).toBe('Lighthouses of the north');
    expect(await tab.locator('article.post > header .byline').textContent()).toMatch(new RegExp(`^by ${author.username} · .+ · 1 min read$`));
    expect(await tab.locator('.body strong').textContent()).toBe('lamp');
    expect(await tab.locator('.body img').getAttribute('alt')).toBe('A lighthouse at dusk');
    expect(await tab.locator('header ul.tags a').allTextContents()).toEqual(['#lighthouses', '#sea']);
    expect(await tab.locator('.rewards').textContent()).toMatch(/1 upvote\. Pending payout \d+\.\d{3} STEEM/);
    expect(await tab.locator('.closing').textContent()).toContain('authors are paid when readers upvote');
    expect(await tab.locator('ol.comments > li > article .comment-body').textContent()).toContain('Lovely piece.');
    expect(await tab.locator('ol.comments > li > ol.replies > li .comment-body').textContent()).toContain('Thank you!');
    await check(tab, cspReports, 'article');
  });

  it('home, profile and tag pages list the articles and link to them', async () => {
    const home = await open('/');
    expect(await home.tab.locator('#newest ~ ol.articles h3').allTextContents()).toEqual(['Foghorns', 'Lighthouses of the north']);
    await check(home.tab, home.cspReports, 'home');

    const profile = await open(`/@${author.username}`);
    expect(await profile.tab.locator('h1').textContent()).toBe(author.username);
    expect(await profile.tab.locator('.bio').textContent()).toBe('Writes about lighthouses.');
    expect(await profile.tab.locator('ol.articles h3').count()).toBe(2);
    await check(profile.tab, profile.cspReports, 'profile');

    const tag = await open('/t/lighthouses');
    expect(await tag.tab.locator('ol.articles h3').allTextContents()).toEqual(['Lighthouses of the north']);
    await tag.tab.locator('ol.articles h3 a').click();
    await tag.tab.waitForURL(`${origin}/@${author.username}/${slug}`);
    await check(tag.tab, tag.cspReports, 'tag-then-article');
  });

  it('the search form is a plain form: no script needed', async () => {
    const { tab, cspReports } = await open('/');
    await tab.getByLabel('Search articles').fill('foghorn');
    await tab.getByRole('button', { name: 'Search' }).click();
    await tab.waitForURL(`${origin}/search?q=foghorn`);
    expect(await tab.locator('h1').textContent()).toBe('Search results for “foghorn”');
    expect(await tab.locator('ol.articles h3').allTextContents()).toEqual(['Foghorns']);
    await check(tab, cspReports, 'search');
  });
});
