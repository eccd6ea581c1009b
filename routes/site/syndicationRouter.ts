import { Readable } from 'node:stream';
import Router from '@koa/router';
import { Feed } from 'feed';
import type { ArticleView } from '../../commands/articles/articleViews';
import { countArticles, feedArticles, sitemapEntries } from '../../commands/site/syndication';
import type { Services } from '../../server/services';
import { SITE_NAME } from '../../views/document';
import { articlePath, profileFeedPath, profilePath, SITE_FEED_PATH, STYLESHEET_PATH, tagFeedPath, tagPath } from '../../views/paths';
import { STYLESHEET } from '../../views/stylesheet';
import { cachedAnswer, htmlErrors, notFoundUnless, siteOrigin } from './pagesRouter';
import { newest, pageAnswer, RSS, sendAnswer, tagged, XML } from './answer';
import { sitemapPageSchema } from './schema';

/** At most this many URLs in one sitemap file (the sitemaps.org limit); more make a sitemap index. */
export const SITEMAP_MAX_URLS = 50_000;
/** Sitemaps and robots.txt change slowly: shared caches may keep them this long. */
const SITEMAP_MAX_AGE_SECONDS = 3600;
const STYLESHEET_MAX_AGE_SECONDS = 86_400;

const TAG = /^[a-z0-9-]{1,32}$/;
const USERNAME = /^[A-Za-z0-9_-]{1,32}$/;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

/** RSS 2.0 with each article's whole sanitised HTML in `content:encoded` (the `feed` library writes the XML). */
function rss(origin: string, meta: { title: string; description: string; path: string; feedPath: string }, articles: ArticleView[]): string {
  const feed = new Feed({
    title: meta.title,
    description: meta.description,
    id: `${origin}${meta.path}`,
    link: `${origin}${meta.path}`,
    language: 'en',
    copyright: `The authors of ${SITE_NAME}`,
    generator: SITE_NAME,
    updated: newest(articles.map((view) => view.article.createdAt)) ?? new Date(0),
    feedLinks: { rss: `${origin}${meta.feedPath}` },
  });
  for (const { article, author } of articles) {
    const link = `${origin}${articlePath(author.username, article.slug)}`;
    feed.addItem({
      title: article.title,
      id: link,
      link,
      description: article.description || article.excerpt,
      content: article.bodyHtml,
      author: [{ name: author.username, link: `${origin}${profilePath(author.username)}` }],
      date: article.createdAt,
      category: article.tagList.map((name) => ({ name })),
    });
  }
  return feed.rss2();
}

/**
 * Feeds (`/rss.xml`, `/@user/rss.xml`, `/t/tag/rss.xml`: the latest 20, cached like the pages),
 * the sitemap (`/sitemap.xml`, and `/sitemap-N.xml` pages of at most `sitemapPageSize` URLs when
 * there are more (SITEMAP_PAGE_SIZE), streamed from a cursor), `robots.txt` and the stylesheet.
 */
export function syndicationRouter(services: Services): Router {
  const sitemapPageSize = Math.min(services.config.site.sitemapPageSize, SITEMAP_MAX_URLS);
  const router = new Router();
  const answer = cachedAnswer(services);
  router.use(htmlErrors(services));
  const stylesheet = pageAnswer(STYLESHEET, 'text/css; charset=utf-8', undefined, STYLESHEET_MAX_AGE_SECONDS);

  router.get(STYLESHEET_PATH, (ctx) => sendAnswer(ctx, stylesheet));

  router.get(SITE_FEED_PATH, async (ctx) => {
    await answer(ctx, async () => {
      const origin = siteOrigin(services, ctx);
      const articles = await feedArticles();
      return tagged(pageAnswer(rss(origin, { title: SITE_NAME, description: `The newest articles on ${SITE_NAME}.`, path: '/', feedPath: SITE_FEED_PATH }, articles), RSS, newest(articles.map((view) => view.article.updatedAt))), [], 'lists');
    });
  });

  router.get('/@:username/rss.xml', async (ctx) => {
    const username = ctx.params.username!;
    notFoundUnless(USERNAME.test(username));
    await answer(ctx, async () => {
      const origin = siteOrigin(services, ctx);
      const articles = await feedArticles({ author: username });
      const meta = { title: `${SITE_NAME}: ${username}`, description: `The newest articles by ${username} on ${SITE_NAME}.`, path: profilePath(username), feedPath: profileFeedPath(username) };
      return tagged(pageAnswer(rss(origin, meta, articles), RSS, newest(articles.map((view) => view.article.updatedAt))), [], 'lists');
    });
  });

  router.get('/t/:tag/rss.xml', async (ctx) => {
    const tag = ctx.params.tag!.toLowerCase();
    notFoundUnless(TAG.test(tag));
    await answer(ctx, async () => {
      const origin = siteOrigin(services, ctx);
      const articles = await feedArticles({ tag });
      const meta = { title: `${SITE_NAME}: #${tag}`, description: `The newest articles tagged ${tag} on ${SITE_NAME}.`, path: tagPath(tag), feedPath: tagFeedPath(tag) };
      return tagged(pageAnswer(rss(origin, meta, articles), RSS, newest(articles.map((view) => view.article.updatedAt))), [], 'lists');
    });
  });

  router.get('/robots.txt', (ctx) => {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', `public, max-age=${SITEMAP_MAX_AGE_SECONDS}`);
    ctx.body = `User-agent: *\nDisallow: /api/\nAllow: /\n\nSitemap: ${siteOrigin(services, ctx)}/sitemap.xml\n`;
  });

  const urlset = (origin: string, page: number) =>
    Readable.from(
      (async function* () {
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n';
        if (page === 1) yield `<url><loc>${escapeXml(`${origin}/`)}</loc><changefreq>hourly</changefreq></url>\n`;
        for await (const entries of sitemapEntries(page, sitemapPageSize)) {
          yield entries.map((entry) => `<url><loc>${escapeXml(`${origin}${articlePath(entry.username, entry.slug)}`)}</loc><lastmod>${entry.updatedAt.toISOString()}</lastmod></url>\n`).join('');
        }
        yield '</urlset>\n';
      })(),
      { objectMode: false },
    );

  router.get('/sitemap.xml', async (ctx) => {
    const origin = siteOrigin(services, ctx);
    const pages = Math.max(1, Math.ceil((await countArticles()) / sitemapPageSize));
    ctx.type = XML;
    ctx.set('Cache-Control', `public, max-age=${SITEMAP_MAX_AGE_SECONDS}`);
    if (pages === 1) {
      ctx.body = urlset(origin, 1);
      return;
    }
    const sitemaps = Array.from({ length: pages }, (_, i) => `<sitemap><loc>${escapeXml(`${origin}/sitemap-${i + 1}.xml`)}</loc></sitemap>\n`).join('');
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemaps}</sitemapindex>\n`;
  });

  router.get('/sitemap-:page.xml', async (ctx) => {
    const parsed = sitemapPageSchema.safeParse(ctx.params.page);
    const page = parsed.success ? parsed.data : 0;
    const pages = page > 0 ? Math.ceil((await countArticles()) / sitemapPageSize) : 0;
    notFoundUnless(page > 0 && page <= pages);
    ctx.type = XML;
    ctx.set('Cache-Control', `public, max-age=${SITEMAP_MAX_AGE_SECONDS}`);
    ctx.body = urlset(siteOrigin(services, ctx), page);
  });

  return router;
}
