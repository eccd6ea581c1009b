import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { decideVote, type AcceptedVote, type ExistingVote, type VoteDecision, type VoteRequest, type VoterState } from '../../domain/votes/voteRules';

// 1,000,000 VESTS: the stake of docs/rewards.md's examples (the policy's base stake is 0 by default).
const EV = 1_000_000_000_000n;
const voter = (overrides: Partial<VoterState> = {}): VoterState => ({
  effectiveVests: EV,
  votingManabar: { currentMana: EV, lastUpdateTime: 0 },
  downvoteManabar: { currentMana: EV / 4n, lastUpdateTime: 0 },
  lastVoteTime: null,
  ...overrides,
});
const post = { createdAt: 0, payoutAt: 604_800, paid: false, allowVotes: true, allowCurationRewards: true, voteRshares: 0n };
const request = (overrides: Partial<VoteRequest> = {}): VoteRequest => ({
  weight: 10_000,
  now: 600,
  voter: voter(),
  post,
  existingVote: null,
  policy,
  ...overrides,
});
const accepted = (decision: VoteDecision): AcceptedVote => {
  if (!decision.ok) throw new Error(`refused: ${decision.code} ${decision.message}`);
  return decision;
};
const FULL: ExistingVote = { weight: 10_000, rshares: 19_950_000_000n, curationWeight: 9_940n, changes: 0 };

describe('decideVote: a first full upvote', () => {
  it('costs 2 % of mana, makes 19.95e9 rshares and full curation weight after 5 minutes', () => {
    const vote = accepted(decideVote(request()));
    expect(vote.kind).toBe('new');
    expect(vote.manaUsed).toBe(20_000_000_000n);
    expect(vote.votingManabar).toEqual({ currentMana: EV - 20_000_000_000n, lastUpdateTime: 600 });
    expect(vote.vote).toEqual({ weight: 10_000, rshares: 19_950_000_000n, curationWeight: 9_940n, changes: 0, votedAt: 600 });
    expect(vote.rawCurationWeight).toBe(9_940n);
    expect(vote.postDelta).toEqual({ netRshares: 19_950_000_000n, absRshares: 19_950_000_000n, voteRshares: 19_950_000_000n, totalVoteWeight: 9_940n });
    expect(vote.reputationDelta).toBe(311_718_750n);
    expect(vote.lastVoteTime).toBe(600);
  });
  it('in the reverse auction adds the raw weight to the total but keeps only the discounted part', () => {
    const vote = accepted(decideVote(request({ now: 60 })));
    expect(vote.vote.curationWeight).toBe(1_988n);
    expect(vote.postDelta.totalVoteWeight).toBe(9_940n);
  });
  it('inside the last 12 hours is scaled', () => {
    const vote = accepted(decideVote(request({ now: 604_800 - 21_600 })));
    expect(vote.vote.rshares).toBe(9_975_000_000n);
    expect(vote.manaUsed).toBe(20_000_000_000n);
  });
  it('earns no curation weight when the post disallows curation rewards', () => {
    const vote = accepted(decideVote(request({ post: { ...post, allowCurationRewards: false } })));
    expect(vote.vote.curationWeight).toBe(0n);
    expect(vote.postDelta.totalVoteWeight).toBe(0n);
  });
});

describe('decideVote: refusals name the rule', () => {
  it.each<[string, Partial<VoteRequest>]>([
    ['VOTE_WEIGHT_INVALID', { weight: 10_001 }],
    ['VOTE_WEIGHT_INVALID', { weight: 1.5 }],
    ['VOTE_AFTER_PAYOUT', { now: 604_800 }],
    ['VOTE_AFTER_PAYOUT', { post: { ...post, paid: true } }],
    ['VOTE_WEIGHT_ZERO', { weight: 0 }],
    ['VOTE_TOO_SOON', { voter: voter({ lastVoteTime: 598 }) }],
    ['VOTES_NOT_ALLOWED', { post: { ...post, allowVotes: false } }],
    ['VOTE_IDENTICAL', { existingVote: FULL }],
    ['VOTE_CHANGES_EXHAUSTED', { weight: 5_000, existingVote: { ...FULL, changes: 5 } }],
    ['INSUFFICIENT_MANA', { voter: voter({ votingManabar: { currentMana: -5n, lastUpdateTime: 600 } }) }],
    ['INSUFFICIENT_MANA', { weight: -10_000, voter: voter({ votingManabar: { currentMana: 0n, lastUpdateTime: 600 }, downvoteManabar: { currentMana: 0n, lastUpdateTime: 600 } }) }],
  ])('%s', (code, overrides) => {
    const decision = decideVote(request(overrides));
    expect(decision).toMatchObject({ ok: false, code });
    expect((decision as { message: string }).message.length).toBeGreaterThan(10);
  });
  it('allows exactly 3 seconds after the last vote', () => {
    expect(decideVote(request({ voter: voter({ lastVoteTime: 597 }) })).ok).toBe(true);
  });
});

describe('decideVote: changes', () => {
  it('allows 5 changes, then refuses the 6th', () => {
    let existing: ExistingVote = FULL;
    let state = voter();
    let now = 600;
    const weights = [5_000, -5_000, 0, 2_500, 10_000];
    for (const weight of weights) {
      now += 10;
      const vote = accepted(decideVote(request({ weight, now, voter: state, existingVote: existing })));
      expect(vote.kind).toBe(weight === 0 ? 'removal' : 'change');
      existing = { weight, rshares: vote.vote.rshares, curationWeight: vote.vote.curationWeight, changes: vote.vote.changes };
      state = { ...state, votingManabar: vote.votingManabar, downvoteManabar: vote.downvoteManabar, lastVoteTime: vote.lastVoteTime };
    }
    expect(existing.changes).toBe(5);
    expect(decideVote(request({ weight: 7_000, now: now + 10, voter: state, existingVote: existing }))).toMatchObject({ ok: false, code: 'VOTE_CHANGES_EXHAUSTED' });
  });
  it('a changed vote forfeits curation: weight 0, old weight leaves the total, vote_rshares untouched', () => {
    const vote = accepted(decideVote(request({ weight: 5_000, existingVote: FULL, now: 1_000 })));
    expect(vote.vote.curationWeight).toBe(0n);
    expect(vote.postDelta.totalVoteWeight).toBe(-9_940n);
    expect(vote.postDelta.voteRshares).toBe(0n);
    expect(vote.postDelta.netRshares).toBe(vote.vote.rshares - FULL.rshares);
    expect(vote.vote.changes).toBe(1);
  });
  it('removing a vote is always allowed within 3 s, costs no mana and reverts the reputation', () => {
    const vote = accepted(decideVote(request({ weight: 0, existingVote: FULL, voter: voter({ lastVoteTime: 599 }) })));
    expect(vote.manaUsed).toBe(0n);
    expect(vote.vote.rshares).toBe(0n);
    expect(vote.postDelta.netRshares).toBe(-19_950_000_000n);
    expect(vote.lastVoteTime).toBe(599);
    expect(vote.reputationDelta).toBe(-311_718_750n);
  });
  it('a removal is allowed on a post that disallows votes', () => {
    expect(decideVote(request({ weight: 0, existingVote: FULL, post: { ...post, allowVotes: false } })).ok).toBe(true);
  });
});

describe('decideVote: downvotes', () => {
  it('are allowed when upvotes are disabled and drain the downvote pool first', () => {
    const vote = accepted(decideVote(request({ weight: -10_000, post: { ...post, allowVotes: false } })));
    expect(vote.manaUsed).toBe(20_000_000_000n);
    expect(vote.vote.rshares).toBe(-19_950_000_000n);
    expect(vote.downvoteManabar.currentMana).toBe(EV / 4n - 20_000_000_000n);
    expect(vote.votingManabar.currentMana).toBe(EV);
    expect(vote.postDelta).toEqual({ netRshares: -19_950_000_000n, absRshares: 19_950_000_000n, voteRshares: 0n, totalVoteWeight: 0n });
    expect(vote.vote.curationWeight).toBe(0n);
  });
  it('overflow into voting mana when the pool is short', () => {
    const vote = accepted(decideVote(request({ weight: -10_000, voter: voter({ downvoteManabar: { currentMana: 1_000_000_000n, lastUpdateTime: 600 } }) })));
    expect(vote.downvoteManabar.currentMana).toBe(0n);
    expect(vote.votingManabar.currentMana).toBe(EV - 19_000_000_000n);
  });
  it('affect reputation only from a voter with more reputation than the author', () => {
    const weak = accepted(decideVote(request({ weight: -10_000, voter: voter({ reputation: 10n }), post: { ...post, authorReputation: 100n } })));
    expect(weak.reputationDelta).toBe(0n);
    const strong = accepted(decideVote(request({ weight: -10_000, voter: voter({ reputation: 1_000n }), post: { ...post, authorReputation: 100n } })));
    expect(strong.reputationDelta).toBe(-19_950_000_000n >> 6n);
  });
});

describe('decideVote: mana regeneration', () => {
  it('regenerates both bars to now before charging', () => {
    const vote = accepted(
      decideVote(request({ now: 43_200, voter: voter({ votingManabar: { currentMana: 0n, lastUpdateTime: 0 } }) })),
    );
    // 10 % regenerated, then 2 % of it used
    expect(vote.manaUsed).toBe(2_000_000_000n);
    expect(vote.votingManabar.currentMana).toBe(98_000_000_000n);
    expect(vote.vote.rshares).toBe(1_950_000_000n);
  });
});
