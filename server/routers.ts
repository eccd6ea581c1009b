import type Router from '@koa/router';
import { articlesRouter } from '../routes/articles/router';
import { commentsRouter } from '../routes/comments/router';
import { healthRouter } from '../routes/health/router';
import { previewRouter } from '../routes/preview/router';
import { profilesRouter } from '../routes/profiles/router';
import { tagsRouter } from '../routes/tags/router';
import { usersRouter } from '../routes/users/router';
import { draftsRouter } from '../routes/drafts/router';
import { bookmarksRouter } from '../routes/bookmarks/router';
import { revisionsRouter } from '../routes/revisions/router';
import { notificationsRouter } from '../routes/notifications/router';
import { steemRouter } from '../routes/steem/router';
import { votesRouter } from '../routes/votes/router';
import { rewardsRouter } from '../routes/rewards/router';
import { leaderboardsRouter } from '../routes/leaderboards/router';
import { payoutsRouter } from '../routes/payouts/router';
import { openApiRouter } from '../routes/openapi/router';
import { pagesRouter } from '../routes/site/pagesRouter';
import { syndicationRouter } from '../routes/site/syndicationRouter';
import type { Services } from './services';

/** Every router: the API's, then the site's (pages, feeds, sitemap). */
export function allRouters(services: Services): Router[] {
  return [...apiRouters(services), ...siteRouters(services)];
}

/** The server-rendered site outside /api (routes/site); the OpenAPI document covers /api only. */
export function siteRouters(services: Services): Router[] {
  return [syndicationRouter(services), pagesRouter(services)];
}

/** Every API router, in one list. (The cast: routers differ only in the state type they declare.) */
export function apiRouters(services: Services): Router[] {
  return [
    healthRouter(services.readiness),
    payoutsRouter(services),
    usersRouter(services),
    profilesRouter(services),
    commentsRouter(services),
    revisionsRouter(),
    bookmarksRouter(services),
    draftsRouter(services),
    notificationsRouter(services),
    steemRouter(services),
    votesRouter(services),
    rewardsRouter(services),
    leaderboardsRouter(services),
    articlesRouter(services),
    tagsRouter(),
    previewRouter(services),
    openApiRouter(),
  ] as unknown as Router[];
}
