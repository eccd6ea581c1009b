import { XMLParser } from 'fast-xml-parser';
import { auth, registerUser, startTestApi, type TestApi } from '../support/api';
import { PAGE_CSP } from '../../routes/site/answer';

/**
 * The server-rendered site over HTTP: pages, their head, redirects from old addresses, validators
 * and 304s, the policy headers, feeds read back with an XML parser, the sitemap and robots.txt.
 */
const ORIGIN = 'https://inkwell.example';
let api: TestApi;
let author: { token: string; username: string };
let slug: string;
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

const TITLE = 'Ink </script><script>alert(1)</script> & wells';
const BODY = 'Some **bold** words.\n\n![A well](https://img.example/well.png)\n\n<script>alert(2)</script>';

async function publish(token: string, title: string, tagList: string[], body = BODY): Promise<string> {
  const response = await api.http().post('/api/articles').set(auth(token)).send({ article: { title, description: `about ${title}`, body, tagList } }).expect(201);
  return response.body.article.slug as string;
}

beforeAll(async () => {
  api = await startTestApi({ env: { PUBLIC_URL: ORIGIN, SITEMAP_PAGE_SIZE: '10' } });
  author = await registerUser(api);
  await api.http().put('/api/user').set(auth(author.token)).send({ user: { bio: 'Writes about wells.' } }).expect(200);
  slug = await publish(author.token, TITLE, ['wells', 'ink']);
  const commenter = await registerUser(api);
  const first = await api.http().post(`/api/articles/${slug}/comments`).set(auth(commenter.token)).send({ comment: { body: 'First comment' } }).expect(200);
  await api.http().post(`/api/articles/${slug}/comments`).set(auth(author.token)).send({ comment: { body: 'A reply', parentId: first.body.comment.id } }).expect(200);
  // 21 more, so the feeds must cut at 20 and the sitemap (10 a page here) needs an index.
  const prolific = await registerUser(api);
  for (let i = 0; i < 21; i += 1) await publish(prolific.token, `Numbered article ${i}`, ['numbers'], `Article number ${i}.`);
}, 60_000);
afterAll(() => api.close());

const page = (path: string) => api.http().get(path);

describe('pages', () => {
  test('the article page: escaped title, sanitised body, byline, tags, rewards, threaded comments, closing line', async () => {
    const response = await page(`/@${author.username}/${slug}`).expect(200).expect('Content-Type', 'text/html; charset=utf-8');
    const html = response.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Ink &lt;/script>&lt;script>alert(1)&lt;/script> &amp; wells</h1>');
    expect(html).not.toContain('alert(2)');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain(`href="/@${author.username}"`);
    expect(html).toMatch(/<time datetime="[^"]+">/);
    expect(html).toContain('href="/t/wells"');
    expect(html).toContain('0 upvotes');
    expect(html).toMatch(/Pending payout \d+\.\d{3} STEEM/);
    expect(html).toContain('authors are paid when readers upvote');
    expect(html).toMatch(/<ol class="comments"><li id="comment-\d+">.*First comment.*<ol class="replies"><li id="comment-\d+">.*A reply/s);
  });

  test('the head: title, description, canonical, OpenGraph and Twitter cards with the first image, JSON-LD that cannot close its script', async () => {
    const html = (await page(`/@${author.username}/${slug}`).expect(200)).text;
    const canonical = `${ORIGIN}/@${author.username}/${slug}`;
    expect(html).toContain(`<link rel="canonical" href="${canonical}"/>`);
    expect(html).toContain('<meta name="description" content="about Ink &lt;/script>&lt;script>alert(1)&lt;/script> &amp; wells"/>');
    expect(html).toContain(`<meta property="og:url" content="${canonical}"/>`);
    expect(html).toContain('<meta property="og:type" content="article"/>');
    expect(html).toContain('<meta property="og:image" content="https://img.example/well.png"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toContain('<meta name="twitter:image" content="https://img.example/well.png"/>');
    // One <script> element only (the JSON-LD data block), closed once: the title's </script> is escaped in it.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(jsonLd).toMatchObject({ '@context': 'https://schema.org', '@type': 'Article', headline: TITLE, image: ['https://img.example/well.png'], mainEntityOfPage: canonical });
    expect(jsonLd.author).toMatchObject({ name: author.username });
  });

  test('home, profile, tag and search pages list the articles; pages are bounded and paginated', async () => {
    const home = (await page('/').expect(200)).text;
    expect(home).toContain('<title>Inkwell</title>');
    expect(home).toContain('Trending');
    expect(home).toContain('Numbered article 20');
    expect(home).toContain('href="/?page=2"');
    expect(home).toContain('href="/t/numbers"');
    const second = (await page('/?page=2').expect(200)).text;
    expect(second).toContain(`/@${author.username}/${slug}`);
    expect((await page('/?page=0').expect(422).expect('Content-Type', /text\/html/)).text).toContain('page must be at least 1');
    await page('/?page=502').expect(422);

    const profile = (await page(`/@${author.username}`).expect(200)).text;
    expect(profile).toContain('Writes about wells.');
    expect(profile).toMatch(/Reputation <strong>\d+<\/strong>/);
    expect(profile).toContain('Badges');
    expect(profile).toContain(`/@${author.username}/${slug}`);

    const tag = (await page('/t/wells').expect(200)).text;
    expect(tag).toContain('<h1>#wells</h1>');
    expect(tag).toContain(`/@${author.username}/${slug}`);
    expect(tag).not.toContain('Numbered article');

    // Words: every article with any of them, the most relevant first (the text index, as GET /api/articles?q=).
    const search = (await page('/search?q=numbered%20ARTICLE%2020').expect(200)).text;
    expect(search.indexOf('>Numbered article 20<')).toBeGreaterThan(0);
    expect(search.indexOf('>Numbered article 20<')).toBeLessThan(search.indexOf('>Numbered article 19<'));
    // A phrase: only the articles holding it.
    const phrase = (await page('/search?q=' + encodeURIComponent('"numbered ARTICLE 20"')).expect(200)).text;
    expect(phrase).toContain('>Numbered article 20<');
    expect(phrase).not.toContain('>Numbered article 19<');
    expect((await page('/search?q=' + encodeURIComponent('(.*')).expect(200)).text).toContain('No article matches.');
    await page('/search').expect(422);
  });

  test('old and differently cased addresses redirect 301 to the canonical one; unknown ones are HTML 404s', async () => {
    const renamed = await publish(author.token, 'Before the rename', ['ink']);
    const edited = await api.http().put(`/api/articles/${renamed}`).set(auth(author.token)).send({ article: { title: 'After the rename' } }).expect(200);
    const current = edited.body.article.slug as string;
    expect(current).not.toBe(renamed);
    await page(`/@${author.username}/${renamed}`).expect(301).expect('Location', `/@${author.username}/${current}`);
    await page(`/@${author.username.toUpperCase()}/${current}`).expect(301).expect('Location', `/@${author.username}/${current}`);
    await page(`/@${author.username.toUpperCase()}`).expect(301).expect('Location', `/@${author.username}`);
    await page('/t/WELLS').expect(301).expect('Location', '/t/wells');
    // Another author's slug under this name is not found, as are unknown names and slugs.
    const other = await registerUser(api);
    await page(`/@${other.username}/${current}`).expect(404).expect('Content-Type', /text\/html/);
    await page('/@nobody-here').expect(404).expect('Content-Security-Policy', PAGE_CSP);
    await page(`/@${author.username}/no-such-article`).expect(404);
    await page('/@not%20a%20name').expect(404);
  });
});

describe('headers and caching', () => {
  test('pages carry the strict policy, shared-cache headers and validators; the API keeps its own', async () => {
    const response = await page(`/@${author.username}/${slug}`).expect(200);
    expect(response.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).not.toMatch(/script-src|unsafe/);
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(response.headers['last-modified']!).getTime()).not.toBeNaN();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const apiAnswer = await api.http().get('/api/articles').expect(200);
    expect(apiAnswer.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(apiAnswer.headers.etag).toBeUndefined();
    // With credentials, a page is never kept by shared caches.
    const withToken = await page('/').set(auth(author.token)).expect(200);
    expect(withToken.headers['cache-control']).toBe('no-store');
  });

  test('a matching If-None-Match answers 304 (from the cache too); an upvote shows on the next view with a new ETag', async () => {
    const path = `/@${author.username}/${slug}`;
    const first = await page(path).expect(200);
    const etag = first.headers.etag!;
    await page(path).set('If-None-Match', etag).expect(304);
    await page(path).set('If-None-Match', etag).expect(304);
    const home = await page('/').set('If-None-Match', etag).expect(200);
    await page('/').set('If-None-Match', home.headers.etag!).expect(304);
    const reader = await registerUser(api);
    await api.http().post(`/api/articles/${slug}/favorite`).set(auth(reader.token)).expect(200);
    const after = await page(path).set('If-None-Match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.text).toContain('1 upvote.');
    // The home page lists the article: the vote invalidated it too (the read cache's tags).
    expect((await page('/').set('If-None-Match', home.headers.etag!).expect(200)).headers.etag).not.toBe(home.headers.etag);
    // A comment shows on the next view of the article's page.
    await api.http().post(`/api/articles/${slug}/comments`).set(auth(reader.token)).send({ comment: { body: 'A reply seen at once' } }).expect(200);
    expect((await page(path).expect(200)).text).toContain('A reply seen at once');
    // Comments earn like posts: a vote on one shows in its byline on the next view, with its pending payout.
    const { body: listed } = await api.http().get(`/api/articles/${slug}/comments`).expect(200);
    const seen = listed.comments.find((c: { body: string }) => c.body === 'A reply seen at once') as { id: number };
    api.clock.advance(4000);
    await api.http().post(`/api/articles/${slug}/comments/${seen.id}/votes`).set(auth(author.token)).send({ vote: { weight: 10000 } }).expect(200);
    expect((await page(path).expect(200)).text).toMatch(new RegExp(`id="comment-${seen.id}">.*?1 upvote · pending \\d+\\.\\d{3} STEEM`, 's'));
  });

  test('the stylesheet is served by the app with validators', async () => {
    const css = await page('/assets/site.css').expect(200).expect('Content-Type', 'text/css; charset=utf-8');
    expect(css.text).toContain('font');
    await page('/assets/site.css').set('If-None-Match', css.headers.etag!).expect(304);
  });
});

describe('feeds, sitemap, robots.txt', () => {
  test('RSS 2.0 feeds: the site, an author and a tag; the latest 20 with the whole sanitised HTML', async () => {
    const site = await page('/rss.xml').expect(200).expect('Content-Type', 'application/rss+xml; charset=utf-8');
    const parsed = xml.parse(site.text);
    expect(parsed.rss['@version']).toBe('2.0');
    expect(parsed.rss['@xmlns:content']).toBe('http://purl.org/rss/1.0/modules/content/');
    const items = parsed.rss.channel.item as { title: string; link: string; 'content:encoded': string }[];
    expect(items).toHaveLength(20);
    expect(parsed.rss.channel.link).toBe(`${ORIGIN}/`);

    const byAuthor = xml.parse((await page(`/@${author.username}/rss.xml`).expect(200)).text);
    const authored = [byAuthor.rss.channel.item].flat() as { title: string; link: string; 'content:encoded': string }[];
    const ink = authored.find((item) => item.title === TITLE)!;
    expect(ink.link).toBe(`${ORIGIN}/@${author.username}/${slug}`);
    expect(ink['content:encoded']).toContain('<strong>bold</strong>');
    expect(ink['content:encoded']).toContain('<img alt="A well" src="https://img.example/well.png" />');
    expect(ink['content:encoded']).not.toContain('alert(2)');

    const tagged = xml.parse((await page('/t/numbers/rss.xml').expect(200)).text);
    expect(tagged.rss.channel.item).toHaveLength(20);
    expect(tagged.rss.channel.item[0].title).toBe('Numbered article 20');
    await page('/@nobody-here/rss.xml').expect(404);
  });

  test('the sitemap: an index of pages of at most SITEMAP_PAGE_SIZE URLs naming every article once; robots.txt names it', async () => {
    const total = (await api.http().get('/api/articles?limit=1').expect(200)).body.articlesCount as number;
    const index = xml.parse((await page('/sitemap.xml').expect(200).expect('Content-Type', /application\/xml/)).text);
    const sitemaps = [index.sitemapindex.sitemap].flat() as { loc: string }[];
    expect(sitemaps.map((s) => s.loc)).toEqual(Array.from({ length: Math.ceil(total / 10) }, (_, i) => `${ORIGIN}/sitemap-${i + 1}.xml`));
    const urls: string[] = [];
    for (let i = 1; i <= sitemaps.length; i += 1) {
      const set = xml.parse((await page(`/sitemap-${i}.xml`).expect(200)).text);
      const entries = [set.urlset.url].flat() as { loc: string; lastmod?: string }[];
      expect(entries.filter((entry) => entry.lastmod).length).toBeLessThanOrEqual(10);
      urls.push(...entries.map((entry) => entry.loc));
    }
    expect(urls[0]).toBe(`${ORIGIN}/`);
    expect(new Set(urls).size).toBe(total + 1);
    expect(urls).toContain(`${ORIGIN}/@${author.username}/${slug}`);
    await page(`/sitemap-${sitemaps.length + 1}.xml`).expect(404);
    await page('/sitemap-0.xml').expect(404);
    const robots = await page('/robots.txt').expect(200).expect('Content-Type', /text\/plain/);
    expect(robots.text).toContain(`Sitemap: ${ORIGIN}/sitemap.xml`);
  });
});
