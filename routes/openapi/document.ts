import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { articleParams, createArticleSchema, feedQuerySchema, listQuerySchema, updateArticleSchema } from '../articles/schema';
import { bookmarksPageSchema } from '../bookmarks/schema';
import { commentParams, commentsPageSchema, newCommentSchema } from '../comments/schema';
import { draftBody, draftParams, draftsPageSchema } from '../drafts/schema';
import { leaderboardParams, leaderboardQuerySchema } from '../leaderboards/schema';
import { notificationsPageSchema, readSchema } from '../notifications/schema';
import { payoutsPageSchema } from '../payouts/schema';
import { previewSchema } from '../preview/schema';
import { profileParams } from '../profiles/schema';
import { revisionsPageSchema } from '../revisions/schema';
import { linkSchema } from '../steem/schema';
import { loginSchema, registerSchema, updateUserSchema } from '../users/schema';
import { votePreviewSchema, votesPageSchema, voteSchema } from '../votes/schema';
import { docsAssetParams } from './schema';
import * as r from './responses';

/**
 * The whole API as an OpenAPI 3.1 document, generated from the zod schemas that validate requests
 * (`routes/<folder>/schema.ts`) and the response schemas of `./responses.ts`. Served at
 * `GET /api/openapi.json`; the test suite validates every response it receives against it.
 */

type Method = 'get' | 'post' | 'put' | 'delete';
type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const errorMeaning: Record<Status, string> = {
  400: 'Malformed JSON in the request body',
  401: 'Authentication required, or the token is malformed, expired or its session ended',
  403: 'Not allowed for this account',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  415: 'Unsupported content type: send application/json',
  422: 'Invalid input; `errors` names the fields',
  429: 'Too many requests; `Retry-After` says when to try again',
  503: 'A dependency (the Steem chain, the renderer) is unavailable',
};

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const errorResponse = (status: Status): ResponseConfig => ({ description: errorMeaning[status], ...json(r.errorSchema) });

interface Operation {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  /** 'required': a token must be sent; 'optional': a token, if sent, is checked (401 if bad) and personalises the answer. */
  auth?: 'required' | 'optional';
  /** Path parameters: the zod schema the router validates them with (`routes/<folder>/schema.ts`). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success answer: JSON of `schema`, or (without one) text of `types`, or no body (204). */
  ok: { status: 200 | 201 | 204; schema?: z.ZodType; types?: string[]; description?: string };
  /** Further answers than the ones the operation's shape implies (401 with auth, 422 with input, 400/413/415 with a body, 429 always). */
  errors?: Status[];
  extra?: Record<number, ResponseConfig>;
  description?: string;
}

export const operations: Operation[] = [
  // Health
  { method: 'get', path: '/healthz', summary: 'Liveness: the process answers', tags: ['Health'], ok: { status: 200, schema: r.healthResponse } },
  {
    method: 'get', path: '/readyz', summary: 'Readiness: the dependencies answer', tags: ['Health'], ok: { status: 200, schema: r.readinessResponse },
    extra: { 503: { description: 'Not ready: a check failed', ...json(r.readinessResponse) } },
  },
  // Users (RealWorld)
  { method: 'post', path: '/api/users', summary: 'Register', tags: ['User and Authentication'], body: registerSchema, ok: { status: 201, schema: r.userResponse }, errors: [409] },
  { method: 'post', path: '/api/users/login', summary: 'Log in', tags: ['User and Authentication'], body: loginSchema, ok: { status: 200, schema: r.userResponse }, errors: [401] },
  { method: 'get', path: '/api/user', summary: 'The current user', tags: ['User and Authentication'], auth: 'required', ok: { status: 200, schema: r.userResponse } },
  {
    method: 'put', path: '/api/user', summary: 'Update the current user (a password change ends every other session)', tags: ['User and Authentication'], auth: 'required',
    body: updateUserSchema, ok: { status: 200, schema: r.userResponse }, errors: [409],
  },
  { method: 'post', path: '/api/user/logout', summary: 'End the session of the token sent', tags: ['User and Authentication'], auth: 'required', ok: { status: 204 } },
  { method: 'get', path: '/api/user/mana', summary: 'The current user’s stake and voting mana', tags: ['Votes'], auth: 'required', ok: { status: 200, schema: r.manaResponse } },
  { method: 'get', path: '/api/user/bookmarks', summary: 'The current user’s bookmarked articles', tags: ['Bookmarks'], auth: 'required', query: bookmarksPageSchema, ok: { status: 200, schema: r.multipleArticles } },
  // Steem linking
  { method: 'post', path: '/api/user/steem/challenge', summary: 'A challenge to sign with the Steem account’s posting or active key', tags: ['Steem'], auth: 'required', ok: { status: 200, schema: r.linkChallengeResponse } },
  {
    method: 'post', path: '/api/user/steem/link', summary: 'Link a Steem account by its signature of the challenge', tags: ['Steem'], auth: 'required', body: linkSchema,
    ok: { status: 200, schema: r.linkResponse }, errors: [409, 503],
  },
  { method: 'delete', path: '/api/user/steem', summary: 'Unlink the Steem account', tags: ['Steem'], auth: 'required', ok: { status: 204 }, errors: [409] },
  // Profiles
  { method: 'get', path: '/api/profiles/{username}', summary: 'A profile, with streaks', tags: ['Profile'], auth: 'optional', params: profileParams, ok: { status: 200, schema: r.profileResponse }, errors: [404] },
  { method: 'get', path: '/api/profiles/{username}/badges', summary: 'A user’s badges', tags: ['Profile'], auth: 'optional', params: profileParams, ok: { status: 200, schema: r.badgesResponse }, errors: [404] },
  { method: 'post', path: '/api/profiles/{username}/follow', summary: 'Follow a user', tags: ['Profile'], auth: 'required', params: profileParams, ok: { status: 200, schema: r.profileResponse }, errors: [404, 422] },
  { method: 'delete', path: '/api/profiles/{username}/follow', summary: 'Unfollow a user', tags: ['Profile'], auth: 'required', params: profileParams, ok: { status: 200, schema: r.profileResponse }, errors: [404] },
  { method: 'post', path: '/api/profiles/{username}/mute', summary: 'Mute a user (their articles, comments and notifications are hidden)', tags: ['Community'], auth: 'required', params: profileParams, ok: { status: 200, schema: r.profileResponse }, errors: [404, 422] },
  { method: 'delete', path: '/api/profiles/{username}/mute', summary: 'Unmute a user', tags: ['Community'], auth: 'required', params: profileParams, ok: { status: 200, schema: r.profileResponse }, errors: [404] },
  { method: 'get', path: '/api/profiles/{username}/payouts', summary: 'A user’s payments, newest first', tags: ['Payouts'], params: profileParams, query: payoutsPageSchema, ok: { status: 200, schema: r.userPayoutsResponse }, errors: [404] },
  // Articles
  { method: 'get', path: '/api/articles', summary: 'List articles', tags: ['Articles'], auth: 'optional', query: listQuerySchema, ok: { status: 200, schema: r.multipleArticles } },
  { method: 'get', path: '/api/articles/feed', summary: 'Articles by followed users (and their reblogs)', tags: ['Articles'], auth: 'required', query: feedQuerySchema, ok: { status: 200, schema: r.multipleArticles } },
  { method: 'post', path: '/api/articles', summary: 'Create an article', tags: ['Articles'], auth: 'required', body: createArticleSchema, ok: { status: 201, schema: r.singleArticle }, errors: [409, 503] },
  { method: 'get', path: '/api/articles/{slug}', summary: 'An article', tags: ['Articles'], auth: 'optional', params: articleParams, ok: { status: 200, schema: r.singleArticle }, errors: [404] },
  { method: 'put', path: '/api/articles/{slug}', summary: 'Update an article (a revision is kept)', tags: ['Articles'], auth: 'required', params: articleParams, body: updateArticleSchema, ok: { status: 200, schema: r.singleArticle }, errors: [403, 404, 409, 503] },
  { method: 'delete', path: '/api/articles/{slug}', summary: 'Delete an article', tags: ['Articles'], auth: 'required', params: articleParams, ok: { status: 204 }, errors: [403, 404, 409] },
  { method: 'post', path: '/api/articles/{slug}/favorite', summary: 'Favorite an article (a full upvote)', tags: ['Favorites'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.singleArticle }, errors: [403, 404, 409, 422] },
  { method: 'delete', path: '/api/articles/{slug}/favorite', summary: 'Unfavorite an article (removes the upvote)', tags: ['Favorites'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.singleArticle }, errors: [403, 404, 409, 422] },
  { method: 'post', path: '/api/articles/{slug}/reblog', summary: 'Reblog an article to one’s followers', tags: ['Community'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.reblogResponse }, errors: [404, 422] },
  { method: 'delete', path: '/api/articles/{slug}/reblog', summary: 'Undo a reblog', tags: ['Community'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.reblogResponse }, errors: [404] },
  { method: 'post', path: '/api/articles/{slug}/bookmark', summary: 'Bookmark an article', tags: ['Bookmarks'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.bookmarkResponse }, errors: [404] },
  { method: 'delete', path: '/api/articles/{slug}/bookmark', summary: 'Remove a bookmark', tags: ['Bookmarks'], auth: 'required', params: articleParams, ok: { status: 200, schema: r.bookmarkResponse }, errors: [404] },
  { method: 'get', path: '/api/articles/{slug}/revisions', summary: 'An article’s revisions, oldest first, with diffs', tags: ['Revisions'], params: articleParams, query: revisionsPageSchema, ok: { status: 200, schema: r.revisionsResponse }, errors: [404] },
  { method: 'get', path: '/api/articles/{slug}/payout', summary: 'An article’s payout receipt', tags: ['Payouts'], params: articleParams, ok: { status: 200, schema: r.payoutReceiptResponse }, errors: [404] },
  // Comments
  { method: 'get', path: '/api/articles/{slug}/comments', summary: 'An article’s comments (threaded)', tags: ['Comments'], auth: 'optional', params: articleParams, query: commentsPageSchema, ok: { status: 200, schema: z.object({ comments: z.array(r.commentSchema) }).openapi('MultipleCommentsResponse') }, errors: [404] },
  {
    method: 'post', path: '/api/articles/{slug}/comments', summary: 'Comment on an article (or reply to a comment)', tags: ['Comments'], auth: 'required', params: articleParams, body: newCommentSchema,
    ok: { status: 200, schema: z.object({ comment: r.commentSchema }).openapi('SingleCommentResponse') }, errors: [404, 409, 503],
  },
  {
    method: 'delete', path: '/api/articles/{slug}/comments/{id}', summary: 'Delete a comment (not while it has positive votes before its payout: 409)', tags: ['Comments'], auth: 'required', params: commentParams,
    ok: { status: 204 }, errors: [403, 404, 409, 422],
  },
  { method: 'get', path: '/api/articles/{slug}/comments/{id}/payout', summary: 'A comment’s payout receipt', tags: ['Payouts'], params: commentParams, ok: { status: 200, schema: r.payoutReceiptResponse }, errors: [404, 422] },
  // Votes
  { method: 'post', path: '/api/articles/{slug}/votes', summary: 'Vote on an article (weight −10000…10000 basis points; 0 removes the vote)', tags: ['Votes'], auth: 'required', params: articleParams, body: voteSchema, ok: { status: 200, schema: r.voteResponse }, errors: [403, 404, 409] },
  { method: 'get', path: '/api/articles/{slug}/votes', summary: 'An article’s votes, oldest first', tags: ['Votes'], auth: 'optional', params: articleParams, query: votesPageSchema, ok: { status: 200, schema: r.votesResponse }, errors: [404] },
  {
    method: 'post', path: '/api/articles/{slug}/comments/{id}/votes', summary: 'Vote on a comment (an extension: the same rules, mana, rshares and errors as an article vote)', tags: ['Votes'], auth: 'required',
    params: commentParams, body: voteSchema, ok: { status: 200, schema: r.commentVoteResponse }, errors: [403, 404, 409],
  },
  { method: 'get', path: '/api/articles/{slug}/comments/{id}/votes', summary: 'A comment’s votes, oldest first', tags: ['Votes'], auth: 'optional', params: commentParams, query: votesPageSchema, ok: { status: 200, schema: r.votesResponse }, errors: [404] },
  {
    method: 'get', path: '/api/articles/{slug}/comments/{id}/votes/preview', summary: 'What a vote of this weight on a comment would do (an estimate)', tags: ['Votes'], auth: 'required', params: commentParams,
    query: votePreviewSchema, ok: { status: 200, schema: r.votePreviewResponse }, errors: [404],
  },
  { method: 'get', path: '/api/articles/{slug}/votes/preview', summary: 'What a vote of this weight would do (an estimate)', tags: ['Votes'], auth: 'required', params: articleParams, query: votePreviewSchema, ok: { status: 200, schema: r.votePreviewResponse }, errors: [404] },
  // Drafts
  { method: 'get', path: '/api/drafts', summary: 'The current user’s drafts, most recently edited first', tags: ['Drafts'], auth: 'required', query: draftsPageSchema, ok: { status: 200, schema: z.object({ drafts: z.array(r.draftSchema), draftsCount: z.number().int() }).openapi('DraftsResponse') } },
  { method: 'post', path: '/api/drafts', summary: 'Create a draft (optionally scheduled with publishAt)', tags: ['Drafts'], auth: 'required', body: draftBody, ok: { status: 201, schema: z.object({ draft: r.draftSchema }).openapi('SingleDraftResponse') }, errors: [409] },
  { method: 'get', path: '/api/drafts/{id}', summary: 'A draft', tags: ['Drafts'], auth: 'required', params: draftParams, ok: { status: 200, schema: z.object({ draft: r.draftSchema }) }, errors: [404] },
  { method: 'put', path: '/api/drafts/{id}', summary: 'Update a draft', tags: ['Drafts'], auth: 'required', params: draftParams, body: draftBody, ok: { status: 200, schema: z.object({ draft: r.draftSchema }) }, errors: [404, 409] },
  { method: 'delete', path: '/api/drafts/{id}', summary: 'Delete a draft', tags: ['Drafts'], auth: 'required', params: draftParams, ok: { status: 204 }, errors: [404, 409] },
  { method: 'post', path: '/api/drafts/{id}/publish', summary: 'Publish a draft now', tags: ['Drafts'], auth: 'required', params: draftParams, ok: { status: 201, schema: r.singleArticle }, errors: [404, 409, 422, 503] },
  // Notifications
  { method: 'get', path: '/api/notifications', summary: 'The current user’s notifications, newest first', tags: ['Notifications'], auth: 'required', query: notificationsPageSchema, ok: { status: 200, schema: r.notificationsResponse } },
  { method: 'get', path: '/api/notifications/unread-count', summary: 'How many notifications are unread', tags: ['Notifications'], auth: 'required', ok: { status: 200, schema: r.unreadCountResponse } },
  { method: 'post', path: '/api/notifications/read', summary: 'Mark notifications read up to an id or a time', tags: ['Notifications'], auth: 'required', body: readSchema, ok: { status: 200, schema: r.readResponse }, errors: [404] },
  // Rewards
  { method: 'get', path: '/api/rewards/fund', summary: 'The reward fund as it stands now', tags: ['Rewards'], ok: { status: 200, schema: r.fundResponse } },
  { method: 'get', path: '/api/rewards/policy', summary: 'The reward policy in force', tags: ['Rewards'], ok: { status: 200, schema: r.policyResponse } },
  // Leaderboards
  {
    method: 'get', path: '/api/leaderboards/{board}', summary: 'A leaderboard: authors, curators or rising', tags: ['Leaderboards'], params: leaderboardParams,
    query: leaderboardQuerySchema, ok: { status: 200, schema: r.leaderboardResponse }, errors: [404],
  },
  // Tags, preview
  { method: 'get', path: '/api/tags', summary: 'Tags in use, most used first', tags: ['Tags'], ok: { status: 200, schema: r.tagsResponse } },
  { method: 'post', path: '/api/preview', summary: 'Render Markdown as an article would be (the editor’s preview)', tags: ['Articles'], body: previewSchema, ok: { status: 200, schema: r.previewResponse }, errors: [503] },
  // Admin
  { method: 'get', path: '/api/admin/payouts/status', summary: 'Operators’ view of payouts (admin role)', tags: ['Admin'], auth: 'required', ok: { status: 200, schema: r.payoutStatusResponse }, errors: [403] },
  // This document and its reference page
  { method: 'get', path: '/api/openapi.json', summary: 'This OpenAPI 3.1 document', tags: ['Documentation'], ok: { status: 200, schema: z.looseObject({ openapi: z.string() }), description: 'The OpenAPI document' } },
  { method: 'get', path: '/api/docs', summary: 'The API reference page (Swagger UI)', tags: ['Documentation'], ok: { status: 200, types: ['text/html'], description: 'An HTML page' } },
  { method: 'get', path: '/api/docs/docs.js', summary: 'The reference page’s initializer script', tags: ['Documentation'], ok: { status: 200, types: ['application/javascript'], description: 'JavaScript' } },
  {
    method: 'get', path: '/api/docs/{asset}', summary: 'The reference page’s Swagger UI assets (swagger-ui.css, swagger-ui-bundle.js)', tags: ['Documentation'],
    params: docsAssetParams, ok: { status: 200, types: ['text/css', 'application/javascript'], description: 'CSS or JavaScript' }, errors: [404],
  },
];

function routeConfig(op: Operation): RouteConfig {
  const statuses = new Set<Status>(op.errors ?? []);
  statuses.add(429);
  if (op.auth) statuses.add(401);
  if (op.query || op.body) statuses.add(422);
  if (op.body) [400, 413, 415].forEach((s) => statuses.add(s as Status));
  const responses: Record<number, ResponseConfig> = {
    [op.ok.status]: op.ok.schema
      ? { description: op.ok.description ?? 'OK', ...json(op.ok.schema) }
      : op.ok.status === 204
        ? { description: op.ok.description ?? 'No content' }
        : { description: op.ok.description ?? 'OK', content: Object.fromEntries((op.ok.types ?? ['text/plain']).map((type) => [type, { schema: z.string() }])) },
  };
  for (const status of [...statuses].sort()) responses[status] = errorResponse(status);
  Object.assign(responses, op.extra);
  return {
    method: op.method,
    path: op.path,
    summary: op.summary,
    description: op.description,
    tags: op.tags,
    ...(op.auth === 'required' ? { security: [{ Token: [] }] } : op.auth === 'optional' ? { security: [{}, { Token: [] }] } : {}),
    request: {
      ...(op.params ? { params: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.body ? { body: { required: true, ...json(op.body) } } : {}),
    },
    responses,
  };
}

let cached: ReturnType<OpenApiGeneratorV31['generateDocument']> | undefined;

/** The OpenAPI 3.1 document (built once). */
export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'Token', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'The JWT from register/login, sent as `Authorization: Token <jwt>`.',
  });
  registry.register('GenericErrorModel', r.errorSchema);
  for (const op of operations) registry.registerPath(routeConfig(op));
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Inkwell API',
      version: '0.1.0',
      description:
        'A superset of the RealWorld ("Conduit") API: articles, comments, profiles, follows, favorites and tags, plus votes, STEEM rewards and payouts, Steem account linking, drafts, revisions, notifications, leaderboards, badges, bookmarks, mutes, reblogs, the Markdown preview and the admin view. Errors are `{"errors": {"body": [messages], ...}}`.',
    },
    servers: [{ url: '/' }],
    tags: [],
  });
  return cached;
}
