import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { scriptSafeJson } from './jsonLd';
import { SITE_FEED_PATH, STYLESHEET_PATH } from './paths';

export const SITE_NAME = 'Inkwell';

/** What the head of a page says about it: for browsers, search engines, feed readers and link previews. */
export interface PageMeta {
  /** The site's origin (`https://inkwell.example`): canonical and social links are absolute. */
  origin: string;
  /** The page's canonical path (with its query, if it has one). */
  path: string;
  title: string;
  description: string;
  type?: 'website' | 'article' | 'profile';
  image?: string | undefined;
  feeds?: { title: string; path: string }[];
  /** schema.org data for the page (an Article on article pages). */
  jsonLd?: Record<string, unknown>;
  /** Error pages are not indexed. */
  noindex?: boolean;
}

function absolute(origin: string, href: string): string {
  return new URL(href, `${origin}/`).toString();
}

function Head({ meta }: { meta: PageMeta }) {
  const canonical = absolute(meta.origin, meta.path);
  const title = meta.path === '/' ? meta.title : `${meta.title} · ${SITE_NAME}`;
  const image = meta.image ? absolute(meta.origin, meta.image) : undefined;
  const feeds = [...(meta.feeds ?? []), { title: `${SITE_NAME}: newest articles`, path: SITE_FEED_PATH }];
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <meta name="description" content={meta.description} />
      {meta.noindex ? <meta name="robots" content="noindex" /> : <link rel="canonical" href={canonical} />}
      <link rel="stylesheet" href={STYLESHEET_PATH} />
      {feeds.map((feed) => (
        <link rel="alternate" type="application/rss+xml" title={feed.title} href={feed.path} />
      ))}
      <meta property="og:site_name" content={SITE_NAME} />
      <meta property="og:type" content={meta.type ?? 'website'} />
      <meta property="og:title" content={meta.title} />
      <meta property="og:description" content={meta.description} />
      <meta property="og:url" content={canonical} />
      {image && <meta property="og:image" content={image} />}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={meta.title} />
      <meta name="twitter:description" content={meta.description} />
      {image && <meta name="twitter:image" content={image} />}
      {meta.jsonLd && <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptSafeJson(meta.jsonLd) }} />}
    </head>
  );
}

function SiteHeader() {
  return (
    <header class="site">
      <a class="brand" href="/">
        {SITE_NAME}
      </a>
      <form class="search" role="search" action="/search" method="get">
        <label for="site-search">Search articles</label>
        <input id="site-search" name="q" type="search" maxLength={100} required />
        <button type="submit">Search</button>
      </form>
    </header>
  );
}

/** A whole page: doctype, head and the site's frame around `children`. No script, inline or not. */
export function renderPage(meta: PageMeta, children: ComponentChildren): string {
  const html = renderToString(
    <html lang="en">
      <Head meta={meta} />
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main">{children}</main>
        <footer class="site">
          <p>
            {SITE_NAME} pays authors in STEEM when readers upvote their writing. <a href={SITE_FEED_PATH}>RSS feed</a> · <a href="/api/docs">API</a>
          </p>
        </footer>
      </body>
    </html>,
  );
  return `<!doctype html>\n${html}`;
}
