import type { presentArticle } from '../routes/presenters/article';
import { longDate, plural } from './format';
import { articlePath, pagePath, profilePath, tagPath } from './paths';

/** An article as the API presents it (routes/presenters/article.ts): the pages show the same figures. */
export type ArticleJson = ReturnType<typeof presentArticle>;

export function Time({ iso }: { iso: string }) {
  return <time datetime={iso}>{longDate(iso)}</time>;
}

export function TagList({ tags, label = 'Tags' }: { tags: readonly string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label={label}>
      {tags.map((tag) => (
        <li>
          <a href={tagPath(tag)}>#{tag}</a>
        </li>
      ))}
    </ul>
  );
}

/** The payout line of a card or an article: settled amount, or the pending estimate. */
/** An article's or a comment's payout: settled, or the pending estimate. */
export function payoutText(post: { payout: { total: string } | null; pendingPayout: { total: string } | null }): string {
  if (post.payout) return `paid ${post.payout.total}`;
  if (post.pendingPayout) return `pending ${post.pendingPayout.total}`;
  return '';
}

function ArticleCard({ article }: { article: ArticleJson }) {
  const href = articlePath(article.author.username, article.slug);
  return (
    <li class="card">
      <article>
        <h3>
          <a href={href}>{article.title}</a>
        </h3>
        <p class="byline">
          by <a href={profilePath(article.author.username)}>{article.author.username}</a> · <Time iso={article.createdAt} /> · {plural(article.readingTimeMinutes, 'min')} read
        </p>
        {(article.description || article.excerpt) && <p>{article.description || article.excerpt}</p>}
        <p class="stats">
          {plural(article.upvotes, 'upvote')} · {plural(article.commentsCount, 'comment')} · {payoutText(article)}
        </p>
        <TagList tags={article.tagList} label={`Tags of ${article.title}`} />
      </article>
    </li>
  );
}

export function ArticleList({ articles, empty }: { articles: readonly ArticleJson[]; empty: string }) {
  if (articles.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ol class="articles">
      {articles.map((article) => (
        <ArticleCard article={article} />
      ))}
    </ol>
  );
}

/** Newer/older links for a paginated list (`?page=n`, 1 first). */
export function Pagination({ path, page, pages, extra = {} }: { path: string; page: number; pages: number; extra?: Record<string, string> }) {
  if (pages <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      {page > 1 && (
        <a rel="prev" href={pagePath(path, page - 1, extra)}>
          ← Newer
        </a>
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages && (
        <a rel="next" href={pagePath(path, page + 1, extra)}>
          Older →
        </a>
      )}
    </nav>
  );
}
