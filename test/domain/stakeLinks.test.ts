import { DEFAULT_REWARD_POLICY as policy } from '../../domain/rewards/policy';
import { decideVote, relinkRefusal, votingStateOnLink, votingStateOnUnlink, type VoteRequest } from '../../domain/votes';

const HOUR = 3_600_000;
const COOLDOWN = 5 * 24 * 3600;
const T = Date.UTC(2026, 0, 1);

describe('relinkRefusal', () => {
  const attempt = (overrides: Partial<Parameters<typeof relinkRefusal>[0]> = {}) =>
    relinkRefusal({ account: 'alice', user: 'u2', now: T + HOUR, cooldownSeconds: COOLDOWN, accountUnlinked: null, userUnlinked: null, ...overrides });

  it('allows a first link of anyone to anything', () => {
    expect(attempt()).toBeNull();
  });

  it('keeps an account from another user until the cooldown after its unlink has passed, naming when', () => {
    const refusal = attempt({ accountUnlinked: { at: T, by: 'u1' } });
    expect(refusal).toEqual({
      code: 'STEEM_RELINK_COOLDOWN',
      allowedAt: T + COOLDOWN * 1000,
      message: 'alice was unlinked from another Inkwell user at 2026-01-01T00:00:00.000Z; it can be linked to another user from 2026-01-06T00:00:00.000Z',
    });
    expect(attempt({ accountUnlinked: { at: T, by: 'u1' }, now: T + COOLDOWN * 1000 - 1 })).not.toBeNull();
    expect(attempt({ accountUnlinked: { at: T, by: 'u1' }, now: T + COOLDOWN * 1000 })).toBeNull();
  });

  it('keeps a user from another account until the cooldown after their unlink has passed', () => {
    const refusal = attempt({ userUnlinked: { at: T, account: 'bob' } });
    expect(refusal?.message).toMatch(/^you unlinked bob at 2026-01-01T00:00:00.000Z; you can link another Steem account from 2026-01-06T00:00:00.000Z/);
    expect(attempt({ userUnlinked: { at: T, account: 'bob' }, now: T + COOLDOWN * 1000 })).toBeNull();
  });

  it('always lets the same user take the same account back', () => {
    expect(attempt({ accountUnlinked: { at: T, by: 'u2' }, userUnlinked: { at: T, account: 'alice' } })).toBeNull();
  });

  it('reports the later date when both rules apply', () => {
    const refusal = attempt({ accountUnlinked: { at: T, by: 'u1' }, userUnlinked: { at: T + 1000, account: 'bob' } });
    expect(refusal?.allowedAt).toBe(T + 1000 + COOLDOWN * 1000);
  });

  it('a cooldown of 0 refuses nothing', () => {
    expect(attempt({ cooldownSeconds: 0, now: T, accountUnlinked: { at: T, by: 'u1' }, userUnlinked: { at: T, account: 'bob' } })).toBeNull();
  });
});

describe('voting state across links', () => {
  const spent = { current: '980', lastUpdate: 100 };
  const base = { current: '5', lastUpdate: 50 };

  it('a link starts from the account’s bars and sets the user’s own aside', () => {
    const state = votingStateOnLink({ votingMana: base, downvoteMana: base, lastVoteTime: 50 }, { votingMana: spent, downvoteMana: spent, lastVoteTime: 100 });
    expect(state).toEqual({ votingMana: spent, downvoteMana: spent, lastVoteTime: 100, baseMana: { votingMana: base, downvoteMana: base } });
  });

  it('an account Inkwell never saw vote starts full; the later last-vote time holds', () => {
    const state = votingStateOnLink({ votingMana: null, downvoteMana: null, lastVoteTime: 70 }, null);
    expect(state).toEqual({
      votingMana: { current: null, lastUpdate: 0 },
      downvoteMana: { current: null, lastUpdate: 0 },
      lastVoteTime: 70,
      baseMana: { votingMana: { current: null, lastUpdate: 0 }, downvoteMana: { current: null, lastUpdate: 0 } },
    });
  });

  it('an unlink gives the account the user’s bars and the user their own back', () => {
    const out = votingStateOnUnlink({ votingMana: spent, downvoteMana: spent, lastVoteTime: 100, baseMana: { votingMana: base, downvoteMana: base } });
    expect(out).toEqual({ account: { votingMana: spent, downvoteMana: spent, lastVoteTime: 100 }, user: { votingMana: base, downvoteMana: base } });
  });

  it('link then unlink round-trips both the account’s and the user’s bars', () => {
    const user = { votingMana: base, downvoteMana: base, lastVoteTime: 50 };
    const account = { votingMana: spent, downvoteMana: spent, lastVoteTime: 100 };
    const out = votingStateOnUnlink(votingStateOnLink(user, account));
    expect(out).toEqual({ account, user: { votingMana: base, downvoteMana: base } });
  });
});

describe('a vote without stake', () => {
  const request = (weight: number, existing: VoteRequest['existingVote'] = null): VoteRequest => ({
    weight,
    now: 1000,
    policy,
    voter: { effectiveVests: 0n, votingManabar: { currentMana: 0n, lastUpdateTime: 0 }, downvoteManabar: { currentMana: 0n, lastUpdateTime: 0 }, lastVoteTime: null },
    post: { createdAt: 0, payoutAt: 604_800, paid: false, allowVotes: true, allowCurationRewards: true, voteRshares: 5_000_000_000n },
    existingVote: existing,
  });

  it.each([10000, 5000, -10000, -1])('is accepted at weight %i with zero rshares, no cost, no curation and no reputation', (weight) => {
    const decision = decideVote(request(weight));
    expect(decision).toMatchObject({
      ok: true,
      kind: 'new',
      vote: { weight, rshares: 0n, curationWeight: 0n },
      manaUsed: 0n,
      votingManabar: { currentMana: 0n },
      downvoteManabar: { currentMana: 0n },
      rawCurationWeight: 0n,
      postDelta: { netRshares: 0n, absRshares: 0n, voteRshares: 0n, totalVoteWeight: 0n },
      reputationDelta: 0n,
      lastVoteTime: 1000,
    });
  });

  it('still keeps the 3-second rule', () => {
    expect(decideVote({ ...request(10000), voter: { ...request(10000).voter, lastVoteTime: 999 } })).toMatchObject({ ok: false, code: 'VOTE_TOO_SOON' });
  });

  it('changing an earlier staked vote to a stakeless one takes the old rshares back out (steemd swaps them)', () => {
    const decision = decideVote(request(5000, { weight: 10000, rshares: 19_950_000_000n, curationWeight: 9_000n, changes: 0 }));
    expect(decision).toMatchObject({ ok: true, kind: 'change', vote: { rshares: 0n }, postDelta: { netRshares: -19_950_000_000n, totalVoteWeight: -9_000n } });
  });
});
