import fc from 'fast-check';
import { curationWeight } from '../../domain/rewards/curationWeight';
import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { favoriteCountDelta, tallyVotes, type LandingVote, type PostVoteCounters } from '../../domain/votes/postTally';

const FULL = 19_950_000_000n;
const empty: PostVoteCounters = { netRshares: 0n, absRshares: 0n, voteRshares: 0n, totalVoteWeight: 0n };
const newVote = (id: string, rshares: bigint, secondsSinceCreated = 600): LandingVote => ({
  id, kind: 'new', weight: rshares > 0n ? 10000 : rshares < 0n ? -10000 : 0, oldWeight: 0, rshares, oldRshares: null, oldCurationWeight: 0n,
  eligibleForCuration: rshares > 0n, secondsSinceCreated,
});

describe('tallyVotes (votes landing on a post)', () => {
  it('counts a full upvote: net, absolute and vote rshares, its curation weight and one upvote', () => {
    const tally = tallyVotes({ counters: empty, allowCurationRewards: true }, [newVote('a', FULL)], policy);
    const expected = curationWeight({ voteRsharesBefore: 0n, rshares: FULL, secondsSinceCreated: 600, contentConstant: policy.contentConstant, reverseAuctionSeconds: policy.reverseAuctionSeconds });
    expect(tally.counters).toEqual({ netRshares: FULL, absRshares: FULL, voteRshares: FULL, totalVoteWeight: expected.raw });
    expect(tally.curation).toEqual([{ id: 'a', weight: expected.weight, raw: expected.raw }]);
    expect([tally.upvotesDelta, tally.downvotesDelta]).toEqual([1, 0]);
  });

  it('turns an upvote into a downvote: rshares swing, the old curation weight leaves, vote_rshares stays', () => {
    const first = tallyVotes({ counters: empty, allowCurationRewards: true }, [newVote('a', FULL)], policy);
    const change: LandingVote = { ...newVote('b', -FULL), kind: 'change', oldWeight: 10000, oldRshares: FULL, oldCurationWeight: first.curation[0]!.raw, eligibleForCuration: false };
    const second = tallyVotes({ counters: first.counters, allowCurationRewards: true }, [change], policy);
    expect(second.counters).toEqual({ netRshares: -FULL, absRshares: FULL, voteRshares: FULL, totalVoteWeight: 0n });
    expect([second.upvotesDelta, second.downvotesDelta]).toEqual([-1, 1]);
    expect(second.curation[0]!.weight).toBe(0n);
  });

  it('earns no curation weight where the post declines curation rewards', () => {
    const tally = tallyVotes({ counters: empty, allowCurationRewards: false }, [newVote('a', FULL)], policy);
    expect(tally.counters.totalVoteWeight).toBe(0n);
    expect(tally.curation[0]).toEqual({ id: 'a', weight: 0n, raw: 0n });
  });

  it('lands votes together exactly as one after another (a batch changes nothing but the number of writes)', () => {
    const votes = fc.array(
      fc.record({ rshares: fc.bigInt(-FULL, FULL), seconds: fc.integer({ min: 0, max: 3600 }) }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(votes, fc.boolean(), (list, allowCuration) => {
        const landing = list.map((v, i) => newVote(`v${i}`, v.rshares, v.seconds));
        const together = tallyVotes({ counters: empty, allowCurationRewards: allowCuration }, landing, policy);
        let counters = empty;
        let up = 0;
        let down = 0;
        const curation: typeof together.curation = [];
        for (const vote of landing) {
          const one = tallyVotes({ counters, allowCurationRewards: allowCuration }, [vote], policy);
          counters = one.counters;
          up += one.upvotesDelta;
          down += one.downvotesDelta;
          curation.push(...one.curation);
        }
        // Votes without a favorite flag: a favorite is an upvote.
        expect(together).toEqual({ counters, upvotesDelta: up, downvotesDelta: down, favoritesDelta: up, curation });
        expect(together.counters.voteRshares).toBe(list.reduce((sum, v) => sum + (v.rshares > 0n ? v.rshares : 0n), 0n));
        expect(together.counters.netRshares).toBe(list.reduce((sum, v) => sum + v.rshares, 0n));
      }),
    );
  });

  it('lands a favorite recorded without a vote on favoritesCount only', () => {
    const first = tallyVotes({ counters: empty, allowCurationRewards: true }, [newVote('a', FULL)], policy);
    const favorite: LandingVote = {
      id: 'f', kind: 'favorite', weight: 0, oldWeight: 0, rshares: 0n, oldRshares: null, oldCurationWeight: 0n, eligibleForCuration: false, secondsSinceCreated: 600, favorite: true, oldFavorite: false,
    };
    const tally = tallyVotes({ counters: first.counters, allowCurationRewards: true }, [favorite], policy);
    expect(tally).toEqual({ counters: first.counters, upvotesDelta: 0, downvotesDelta: 0, favoritesDelta: 1, curation: [{ id: 'f', weight: 0n, raw: 0n }] });
    const unfavoriteKeepingUpvote: LandingVote = { ...favorite, id: 'u', weight: 10000, oldWeight: 10000, rshares: FULL, oldRshares: FULL, oldCurationWeight: 5n, favorite: false, oldFavorite: true };
    const kept = tallyVotes({ counters: first.counters, allowCurationRewards: true }, [unfavoriteKeepingUpvote], policy);
    expect(kept).toMatchObject({ counters: first.counters, upvotesDelta: 0, favoritesDelta: -1 });
  });
});

describe('favoriteCountDelta (RealWorld favoritesCount)', () => {
  it('counts a favorite made and one taken back, whatever the vote', () => {
    expect(favoriteCountDelta({ weight: 0, oldWeight: 0, favorite: true, oldFavorite: false })).toBe(1);
    expect(favoriteCountDelta({ weight: 10000, oldWeight: 10000, favorite: false, oldFavorite: true })).toBe(-1);
    expect(favoriteCountDelta({ weight: -10000, oldWeight: 0, favorite: true, oldFavorite: true })).toBe(0);
  });

  it('takes an upvote for a favorite when the operation predates favorites kept apart', () => {
    expect(favoriteCountDelta({ weight: 10000, oldWeight: 0 })).toBe(1);
    expect(favoriteCountDelta({ weight: 0, oldWeight: 5000 })).toBe(-1);
    expect(favoriteCountDelta({ weight: -10000, oldWeight: 0 })).toBe(0);
    expect(favoriteCountDelta({ weight: 5000, oldWeight: 10000 })).toBe(0);
  });

  it('is what tallyVotes adds to favoritesDelta, vote by vote', () => {
    const votes: LandingVote[] = [newVote('a', FULL), { ...newVote('b', 0n), kind: 'favorite', favorite: true, oldFavorite: false }, { ...newVote('c', -FULL) }];
    const tally = tallyVotes({ counters: empty, allowCurationRewards: true }, votes, policy);
    expect(tally.favoritesDelta).toBe(votes.reduce((sum, vote) => sum + favoriteCountDelta(vote), 0));
    expect(tally.favoritesDelta).toBe(2);
  });
});
