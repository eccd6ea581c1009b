import type { Types } from 'mongoose';
import { BadgeModel } from '../../models/badge';
import { UserModel } from '../../models/user';
import { badgeDefinition } from '../../domain/gamification/badges';
import { notFound } from '../../lib/errors';
import { articleView, articleViews, type ArticleAuthor, type ArticleView } from '../articles/articleViews';
import { findArticleBySlug } from '../articles/findArticle';
import { listArticles } from '../articles/listArticles';
import { popularTags } from '../articles/articleCounts';
import { listComments, type StoredComment } from '../comments/comments';
import { findProfileUser } from '../profiles/findProfileUser';
import type { Viewer } from '../users/viewer';

/** The data behind the server-rendered pages (routes/site): anonymous reads only, every list bounded. */

export interface PageWindow {
  offset: number;
  limit: number;
}

export interface ArticleList {
  views: ArticleView[];
  count: number;
}

/** Trending articles on the home page (the first few; the newest list is the paginated one). */
export const HOME_TRENDING = 5;
/** Tags linked from the home page. */
export const HOME_TAGS = 30;
/** Comments shown under an article (the API's maximum page); `commentsCount` says how many there are. */
export const PAGE_COMMENTS = 500;

async function viewsOf(page: { articles: Parameters<typeof articleViews>[0]; articlesCount: number }): Promise<ArticleList> {
  return { views: await articleViews(page.articles), count: page.articlesCount };
}

export interface HomePage {
  trending: ArticleView[];
  newest: ArticleList;
  tags: string[];
}

/** Home: trending now, the newest articles (paginated) and the most used tags. */
export async function homePage(window: PageWindow, now: Date): Promise<HomePage> {
  const [trending, newest, tags] = await Promise.all([
    window.offset === 0 ? listArticles({ sort: 'trending', now, offset: 0, limit: HOME_TRENDING }).then(viewsOf) : { views: [], count: 0 },
    listArticles({ offset: window.offset, limit: window.limit }).then(viewsOf),
    popularTags(HOME_TAGS),
  ]);
  return { trending: trending.views, newest, tags };
}

export interface PageComment {
  comment: StoredComment;
  author: Pick<ArticleAuthor, 'username' | 'image'>;
}

export type ArticlePage = { kind: 'article'; view: ArticleView; comments: PageComment[] } | { kind: 'moved'; username: string; slug: string };

/**
 * The article at `/@username/slug`: found by its slug (current or earlier); `moved` when the address
 * is not its canonical one (an old slug, or the author's name in another case), so the page
 * redirects; not found when the slug names another author's article.
 */
export async function articlePage(username: string, slug: string): Promise<ArticlePage> {
  const article = await findArticleBySlug(slug);
  const view = await articleView(article);
  if (view.author.username.toLowerCase() !== username.toLowerCase()) throw notFound(`article ${slug} not found`, 'article');
  if (view.author.username !== username || article.slug !== slug) return { kind: 'moved', username: view.author.username, slug: article.slug };
  const comments = await listComments(article, { offset: 0, limit: PAGE_COMMENTS });
  const authors = await usernames(comments.map((comment) => comment.author));
  return {
    kind: 'article',
    view,
    comments: comments.map((comment) => ({ comment, author: authors.get(comment.author.toString()) ?? { username: '[deleted]', image: '' } })),
  };
}

async function usernames(ids: Types.ObjectId[]): Promise<Map<string, Pick<ArticleAuthor, 'username' | 'image'>>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids.map((id) => id.toString()))];
  const users = await UserModel.find({ _id: { $in: unique } }, { username: 1, image: 1 }).lean();
  return new Map(users.map((user) => [user._id.toString(), { username: user.username, image: user.image ?? '' }]));
}

export interface ProfileBadge {
  name: string;
  title: string;
  description: string;
  awardedAt: Date;
}

export interface ProfilePage {
  user: Viewer;
  badges: ProfileBadge[];
  articles: ArticleList;
}

/** Badges shown on a profile, most recent first. */
export const PROFILE_BADGES = 100;

/** A profile: the user, their badges and a page of their articles (newest first). */
export async function profilePage(username: string, window: PageWindow): Promise<ProfilePage> {
  const user = await findProfileUser(username);
  const [badges, articles] = await Promise.all([
    BadgeModel.find({ user: user._id }).sort({ awardedAt: -1 }).limit(PROFILE_BADGES).lean(),
    listArticles({ author: user.username, ...window }).then(viewsOf),
  ]);
  return {
    user,
    badges: badges.map((badge) => {
      const definition = badgeDefinition(badge.badge);
      return { name: badge.badge, title: definition.title, description: definition.description, awardedAt: badge.awardedAt };
    }),
    articles,
  };
}

/** A tag's articles, newest first. */
export async function tagPage(tag: string, window: PageWindow): Promise<ArticleList> {
  return viewsOf(await listArticles({ tag, ...window }));
}
