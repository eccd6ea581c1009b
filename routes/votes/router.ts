import Router from '@koa/router';
import { listArticleVotes, listCommentVotes } from '../../commands/votes/listVotes';
import { previewCommentVote, previewVote, viewerMana } from '../../commands/votes/votePreview';
import { voteOnArticle } from '../../commands/votes/voteOnArticle';
import { voteOnComment } from '../../commands/votes/voteOnComment';
import type { Services } from '../../server/services';
import { authenticate, requireToken, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { presentArticle } from '../presenters/article';
import { presentCommentView } from '../presenters/comment';
import { articleContext } from '../presenters/articleContext';
import { presentCastVote, presentListedVote, presentMana, presentVotePreview } from '../presenters/vote';
import { articleParams, commentParams, votePreviewSchema, votesPageSchema, voteSchema } from './schema';
import { commentsTag } from '../articles/readKeys';
import { votePatch } from '../articles/votePatch';

/** Votes (an extension of the RealWorld API) on articles and on comments: cast, list, preview; and the viewer's mana. */
export function votesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  const authenticated = authenticate(services);

  // The token alone: the vote's batch reads the voter with the other voters, the post, votes and fund.
  router.post('/articles/:slug/votes', requireToken(services), services.rateLimits.votes, validate({ params: articleParams, body: voteSchema }), async (ctx) => {
    const { params, body } = ctx.state.input;
    const vote = { voter: ctx.state.viewerId!, weight: body.vote.weight, now: services.clock.now(), policy: services.policy, session: ctx.state.session };
    const cast = await services.readCache.writingArticle(
      () => voteOnArticle(params.slug, vote),
      (cast) => votePatch(cast.view, { fund: cast.fund, policy: services.policy }),
    );
    services.readCache.readers.forget(ctx.state.viewerId!.toString());
    ctx.body = { vote: presentCastVote(cast), article: presentArticle(cast.view, await articleContext(services, true, cast.fund)) };
  });

  router.get('/articles/:slug/votes', authenticated, validate({ params: articleParams, query: votesPageSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const { votes, votesCount } = await listArticleVotes(params.slug, query);
    ctx.body = { votes: votes.map(presentListedVote), votesCount };
  });

  router.get('/articles/:slug/votes/preview', authenticated, requireViewer, validate({ params: articleParams, query: votePreviewSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const preview = await previewVote({ viewer: viewerOf(ctx), slug: params.slug, weight: query.weight, now: services.clock.now(), policy: services.policy });
    ctx.body = presentVotePreview(preview);
  });

  // Comments are post items too (on Steem a reply is a post): the same engine, rules, limits and errors.
  router.post('/articles/:slug/comments/:id/votes', requireToken(services), services.rateLimits.votes, validate({ params: commentParams, body: voteSchema }), async (ctx) => {
    const { params, body } = ctx.state.input;
    const vote = { voter: ctx.state.viewerId!, weight: body.vote.weight, now: services.clock.now(), policy: services.policy, session: ctx.state.session };
    const cast = await voteOnComment(params.slug, params.id, vote);
    // The comment's counters show only where the article's comments do; the article's answers and lists keep.
    services.readCache.invalidateTagged([commentsTag(cast.article.toString())]);
    ctx.body = { vote: presentCastVote(cast), comment: presentCommentView(cast.view, await articleContext(services, false, cast.fund)) };
  });

  router.get('/articles/:slug/comments/:id/votes', authenticated, validate({ params: commentParams, query: votesPageSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const { votes, votesCount } = await listCommentVotes(params.slug, params.id, query);
    ctx.body = { votes: votes.map(presentListedVote), votesCount };
  });

  router.get('/articles/:slug/comments/:id/votes/preview', authenticated, requireViewer, validate({ params: commentParams, query: votePreviewSchema }), async (ctx) => {
    const { params, query } = ctx.state.input;
    const preview = await previewCommentVote({ viewer: viewerOf(ctx), slug: params.slug, commentId: params.id, weight: query.weight, now: services.clock.now(), policy: services.policy });
    ctx.body = presentVotePreview(preview);
  });

  router.get('/user/mana', authenticated, requireViewer, async (ctx) => {
    ctx.body = presentMana(await viewerMana(viewerOf(ctx), services.clock.now(), services.policy));
  });

  return router;
}
