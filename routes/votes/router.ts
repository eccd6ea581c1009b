import Router from '@koa/router';
import { Types } from 'mongoose';
import { articleView } from '../../commands/articles/articleViews';
import { findArticleById, findArticleBySlug } from '../../commands/articles/findArticle';
import { currentFund } from '../../commands/rewards/fund';
import { castVoteBySlug, stakeOf } from '../../commands/votes/castVote';
import { formatSteem, formatVests } from '../../domain/money';
import { curationEstimate, pendingPayout } from '../../domain/rewards';
import { manaPercent, voteManaCost, voteRshares } from '../../domain/votes';
import { voterManabars } from '../../commands/votes/voterMana';
import { UserModel } from '../../models/user';
import { VoteModel } from '../../models/vote';
import { parseInput } from '../middleware/validate';
import { votesPageSchema } from './schema';
import { voteTags } from '../articles/readKeys';
import type { Services } from '../../server/services';
import { voteSchema, votePreviewSchema } from '../articles/schema';
import { authenticate, requireToken, requireViewer, viewerOf, type AuthState } from '../middleware/auth';
import { presentArticle } from '../presenters/article';
import { articleContext } from '../presenters/articleContext';

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/** Votes (an extension of the RealWorld API): cast, list, preview; and the viewer's mana. */
export function votesRouter(services: Services): Router<AuthState> {
  const router = new Router<AuthState>({ prefix: '/api' });
  const authenticated = authenticate(services);

  // The token alone: the vote's batch reads the voter with the other voters, the post, votes and fund.
  router.post('/articles/:slug/votes', requireToken(services), services.rateLimits.votes, async (ctx) => {
    const { vote } = parseInput(voteSchema, ctx.request.body);
    const voter = ctx.state.viewerId!;
    const result = await castVoteBySlug(ctx.params.slug!, { voter, weight: vote.weight, now: services.clock.now(), policy: services.policy, session: ctx.state.session });
    services.readCache.invalidateTagged(voteTags(new Types.ObjectId(result.applied.article)));
    // The batch's own write tells the post after the vote; otherwise read it back.
    const view = result.post
      ? await articleView(result.post, voter, { favorited: result.vote.weight > 0, following: result.following, author: result.author })
      : await articleView(await findArticleById(new Types.ObjectId(result.applied.article)), voter);
    const context = await articleContext(services, true, result.fund);
    ctx.body = {
      vote: { voter: result.voterName, weight: result.vote.weight, rshares: result.vote.rshares.toString(), createdAt: new Date(result.vote.votedAt * 1000).toISOString(), changes: result.vote.changes },
      article: presentArticle(view, context),
    };
  });

  router.get('/articles/:slug/votes', authenticated, async (ctx) => {
    const window = parseInput(votesPageSchema, ctx.query);
    const article = await findArticleBySlug(ctx.params.slug!);
    // A record with weight 0 and no changes is a favorite that never was a vote (the rules refused it).
    const cast = { article: article._id, $nor: [{ weight: 0, changes: 0 }] };
    const [votes, votesCount] = await Promise.all([
      VoteModel.find(cast).sort({ createdAt: 1, _id: 1 }).skip(window.offset).limit(window.limit).lean(),
      VoteModel.countDocuments(cast),
    ]);
    const voters = await UserModel.find({ _id: { $in: votes.map((v) => v.voter) } }, { username: 1 }).lean();
    const names = new Map(voters.map((u) => [u._id.toString(), u.username]));
    ctx.body = {
      votes: votes.map((vote) => ({
        voter: names.get(vote.voter.toString()) ?? '[deleted]',
        weight: vote.weight,
        rshares: vote.rshares ?? '0',
        createdAt: (vote.createdAt as Date).toISOString(),
      })),
      votesCount,
    };
  });

  router.get('/articles/:slug/votes/preview', authenticated, requireViewer, async (ctx) => {
    const { weight } = parseInput(votePreviewSchema, ctx.query);
    const viewer = viewerOf(ctx);
    const article = await findArticleBySlug(ctx.params.slug!);
    const now = unix(services.clock.now());
    const policy = services.policy;
    const stake = stakeOf(viewer, policy);
    const { voting, downvote } = voterManabars((await UserModel.findById(viewer._id, { votingMana: 1, downvoteMana: 1 }).lean()) ?? {}, stake, now, policy);
    const used = weight === 0 ? 0n : voteManaCost({ weight, votingMana: voting.currentMana, downvoteMana: downvote.currentMana, policy });
    const rshares = voteRshares({ manaUsed: used, weight, payoutAt: unix(article.payoutAt), now, policy });
    const fund = await currentFund(policy, now);
    const netAfter = BigInt(article.netRshares ?? '0') + rshares;
    const after = pendingPayout({ fund, policy, netRshares: netAfter, beneficiaries: article.beneficiaries as { account: string; weight: number }[], declinePayout: article.declinePayout });
    const curation = curationEstimate({
      fund,
      policy,
      rshares,
      now,
      post: {
        netRshares: BigInt(article.netRshares ?? '0'),
        voteRshares: BigInt(article.voteRshares ?? '0'),
        totalVoteWeight: BigInt(article.totalVoteWeight ?? '0'),
        createdAt: unix(article.createdAt),
        allowCurationRewards: article.allowCurationRewards,
        declinePayout: article.declinePayout,
      },
    });
    ctx.body = { rshares: rshares.toString(), pendingPayoutAfter: formatSteem(after.total), curationEstimate: formatSteem(curation.reward), isEstimate: true };
  });

  router.get('/user/mana', authenticated, requireViewer, async (ctx) => {
    const viewer = viewerOf(ctx);
    const now = unix(services.clock.now());
    const policy = services.policy;
    const stake = stakeOf(viewer, policy);
    const bars = voterManabars((await UserModel.findById(viewer._id, { votingMana: 1, downvoteMana: 1 }).lean()) ?? {}, stake, now, policy);
    const present = (bar: { currentMana: bigint }, max: bigint) => ({ current: bar.currentMana.toString(), max: max.toString(), percent: manaPercent(bar.currentMana, max) });
    ctx.body = { stake: formatVests(stake), votingMana: present(bars.voting, stake), downvoteMana: present(bars.downvote, bars.downvoteMax) };
  });

  return router;
}
