import { renderPage, SITE_NAME } from './document';
import { plural } from './format';
import { ArticleList, Pagination, payoutText, TagList, Time, type ArticleJson } from './parts';
import { articlePath, profileFeedPath, profilePath, receiptPath, tagFeedPath, tagPath } from './paths';

/** The site's pages, each rendered whole to a string (routes/site answers and caches it). */

export interface Paged {
  page: number;
  pages: number;
}

const HOME_DESCRIPTION = `${SITE_NAME}: writing that pays its authors in STEEM when readers upvote it.`;

export function homePage(origin: string, data: Paged & { trending: ArticleJson[]; newest: ArticleJson[]; tags: string[] }): string {
  return renderPage(
    { origin, path: data.page > 1 ? `/?page=${data.page}` : '/', title: data.page > 1 ? `Newest articles, page ${data.page}` : SITE_NAME, description: HOME_DESCRIPTION },
    <>
      <h1>{SITE_NAME}</h1>
      {data.trending.length > 0 && (
        <section aria-labelledby="trending">
          <h2 id="trending">Trending</h2>
          <ArticleList articles={data.trending} empty="" />
        </section>
      )}
      <section aria-labelledby="newest">
        <h2 id="newest">Newest</h2>
        <ArticleList articles={data.newest} empty="Nothing has been published yet." />
        <Pagination path="/" page={data.page} pages={data.pages} />
      </section>
      {data.tags.length > 0 && (
        <section aria-labelledby="popular-tags">
          <h2 id="popular-tags">Popular tags</h2>
          <TagList tags={data.tags} label="Popular tags" />
        </section>
      )}
    </>,
  );
}

export interface PageComment {
  id: number;
  parentId: number | null;
  createdAt: string;
  bodyHtml: string;
  author: string;
  /** Comments earn like posts: their upvotes and their pending or settled payout. */
  upvotes: number;
  payout: { total: string } | null;
  pendingPayout: { total: string } | null;
}

/** Replies under their parents; a reply whose parent was deleted is shown at the top level. */
function commentTree(comments: readonly PageComment[]): Map<number | null, PageComment[]> {
  const ids = new Set(comments.map((comment) => comment.id));
  const children = new Map<number | null, PageComment[]>();
  for (const comment of comments) {
    const parent = comment.parentId !== null && ids.has(comment.parentId) ? comment.parentId : null;
    const siblings = children.get(parent) ?? [];
    siblings.push(comment);
    children.set(parent, siblings);
  }
  return children;
}

function Comments({ tree, parent }: { tree: Map<number | null, PageComment[]>; parent: number | null }) {
  const comments = tree.get(parent);
  if (!comments) return null;
  return (
    <ol class={parent === null ? 'comments' : 'replies'}>
      {comments.map((comment) => (
        <li id={`comment-${comment.id}`}>
          <article class="comment" aria-label={`Comment by ${comment.author}`}>
            <p class="byline">
              <a href={profilePath(comment.author)}>{comment.author}</a> · <Time iso={comment.createdAt} /> · {plural(comment.upvotes, 'upvote')} · {payoutText(comment)}
            </p>
            <div class="comment-body" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
          </article>
          <Comments tree={tree} parent={comment.id} />
        </li>
      ))}
    </ol>
  );
}

function Rewards({ article }: { article: ArticleJson }) {
  return (
    <section class="rewards" aria-labelledby="rewards">
      <h2 id="rewards">Rewards</h2>
      <p>
        {plural(article.upvotes, 'upvote')}
        {article.downvotes > 0 ? `, ${plural(article.downvotes, 'downvote')}` : ''}.{' '}
        {article.payout ? (
          <>
            Paid out {article.payout.total} (author {article.payout.author}, curators {article.payout.curators}
            {article.payout.settledAt ? (
              <>
                , settled <Time iso={article.payout.settledAt} />
              </>
            ) : null}
            ). <a href={receiptPath(article.slug)}>Payout receipt</a>
          </>
        ) : article.pendingPayout ? (
          <>
            Pending payout {article.pendingPayout.total} (an estimate), paid on <Time iso={article.payoutAt} />.
          </>
        ) : null}
      </p>
      <p class="closing">On {SITE_NAME}, authors are paid when readers upvote: every upvote adds to what this article pays its author in STEEM.</p>
    </section>
  );
}

export function articlePage(origin: string, article: ArticleJson, comments: PageComment[]): string {
  const path = articlePath(article.author.username, article.slug);
  const description = article.description || article.excerpt;
  const image = article.images[0];
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.title,
    description,
    datePublished: article.createdAt,
    dateModified: article.updatedAt,
    author: { '@type': 'Person', name: article.author.username, url: new URL(profilePath(article.author.username), origin).toString() },
    mainEntityOfPage: new URL(path, origin).toString(),
    keywords: article.tagList.join(', '),
    ...(image ? { image: [image] } : {}),
  };
  return renderPage(
    {
      origin,
      path,
      title: article.title,
      description,
      type: 'article',
      image,
      jsonLd,
      feeds: [{ title: `${SITE_NAME}: ${article.author.username}`, path: profileFeedPath(article.author.username) }],
    },
    <article class="post">
      <header>
        <h1>{article.title}</h1>
        <p class="byline">
          by <a href={profilePath(article.author.username)}>{article.author.username}</a> · <Time iso={article.createdAt} /> · {plural(article.readingTimeMinutes, 'min')} read
        </p>
        <TagList tags={article.tagList} />
      </header>
      <div class="body" dangerouslySetInnerHTML={{ __html: article.bodyHtml ?? '' }} />
      <Rewards article={article} />
      <section aria-labelledby="comments">
        <h2 id="comments">{plural(article.commentsCount, 'comment')}</h2>
        <Comments tree={commentTree(comments)} parent={null} />
      </section>
    </article>,
  );
}

export interface ProfileData extends Paged {
  username: string;
  bio: string;
  reputationScore: number;
  badges: { title: string; description: string; awardedAt: string }[];
  articles: ArticleJson[];
  articlesCount: number;
}

export function profilePage(origin: string, data: ProfileData): string {
  const path = profilePath(data.username);
  return renderPage(
    {
      origin,
      path: data.page > 1 ? `${path}?page=${data.page}` : path,
      title: data.username,
      description: data.bio || `${data.username} writes on ${SITE_NAME}.`,
      type: 'profile',
      feeds: [{ title: `${SITE_NAME}: ${data.username}`, path: profileFeedPath(data.username) }],
    },
    <>
      <header class="profile">
        <h1>{data.username}</h1>
        {data.bio && <p class="bio">{data.bio}</p>}
        <p>
          Reputation <strong>{data.reputationScore}</strong> · {plural(data.articlesCount, 'article')} · <a href={profileFeedPath(data.username)}>RSS feed</a>
        </p>
      </header>
      <section aria-labelledby="badges">
        <h2 id="badges">Badges</h2>
        {data.badges.length === 0 ? (
          <p class="empty">No badges yet.</p>
        ) : (
          <ul class="badges">
            {data.badges.map((badge) => (
              <li>
                <strong>{badge.title}</strong>: {badge.description} (<Time iso={badge.awardedAt} />)
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="articles">
        <h2 id="articles">Articles</h2>
        <ArticleList articles={data.articles} empty={`${data.username} has not published yet.`} />
        <Pagination path={path} page={data.page} pages={data.pages} />
      </section>
    </>,
  );
}

export function tagPage(origin: string, data: Paged & { tag: string; articles: ArticleJson[]; count: number }): string {
  const path = tagPath(data.tag);
  return renderPage(
    {
      origin,
      path: data.page > 1 ? `${path}?page=${data.page}` : path,
      title: `#${data.tag}`,
      description: `Articles tagged ${data.tag} on ${SITE_NAME}.`,
      feeds: [{ title: `${SITE_NAME}: #${data.tag}`, path: tagFeedPath(data.tag) }],
    },
    <>
      <h1>#{data.tag}</h1>
      <p>
        {plural(data.count, 'article')} · <a href={tagFeedPath(data.tag)}>RSS feed</a>
      </p>
      <ArticleList articles={data.articles} empty="No articles have this tag." />
      <Pagination path={path} page={data.page} pages={data.pages} />
    </>,
  );
}

export function searchPage(origin: string, data: Paged & { q: string; articles: ArticleJson[]; count: number }): string {
  return renderPage(
    { origin, path: `/search?${new URLSearchParams({ q: data.q })}`, title: `Search: ${data.q}`, description: `Articles on ${SITE_NAME} matching “${data.q}”.`, noindex: true },
    <>
      <h1>Search results for “{data.q}”</h1>
      <p>{plural(data.count, 'article')} found.</p>
      <ArticleList articles={data.articles} empty="No article matches." />
      <Pagination path="/search" page={data.page} pages={data.pages} extra={{ q: data.q }} />
    </>,
  );
}

export function errorPage(origin: string, status: number, message: string): string {
  const title = status === 404 ? 'Not found' : 'Cannot show this page';
  return renderPage(
    { origin, path: '/', title, description: message, noindex: true },
    <>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </>,
  );
}
