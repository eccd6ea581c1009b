import { BADGES, badgeDefinition, earnedActivityBadges, earnedPayoutBadges, weeklyTopBadgeName } from '../../domain/gamification/badges';

describe('activity badges', () => {
  it('earns nothing without a post with positive net rshares', () => {
    expect(earnedActivityBadges({ positivePosts: 0, netUpvotes: 0, longestStreakWeeks: 0 })).toEqual([]);
  });

  it('earns each threshold badge exactly at its threshold', () => {
    const names = (upvotes: number, weeks: number) => earnedActivityBadges({ positivePosts: 1, netUpvotes: upvotes, longestStreakWeeks: weeks }).map((b) => b.name);
    expect(names(9, 1)).toEqual(['first-post']);
    expect(names(10, 2)).toEqual(['first-post', 'upvotes-10', 'streak-2-weeks']);
    expect(names(1000, 16)).toEqual(['first-post', 'upvotes-10', 'upvotes-100', 'upvotes-1000', 'streak-2-weeks', 'streak-4-weeks', 'streak-8-weeks', 'streak-16-weeks']);
  });
});

describe('payout badges', () => {
  const entries = [
    { role: 'author', user: 'a1', amount: 1234n },
    { role: 'curator', user: 'c1', amount: 5n },
    { role: 'curator', user: 'c2', amount: 0n },
    { role: 'curator', user: null, amount: 9n },
    { role: 'beneficiary', user: 'b1', amount: 100n },
  ];

  it('awards the author a first payout and each paid curator a first curation reward, saying how much', () => {
    expect(earnedPayoutBadges('a-post', entries)).toEqual([
      { user: 'a1', name: 'first-payout', reason: '"a-post" paid you 1.234 STEEM' },
      { user: 'c1', name: 'first-curation', reason: 'curating "a-post" paid you 0.005 STEEM' },
    ]);
  });

  it('awards nothing for a post that paid nothing', () => {
    expect(earnedPayoutBadges('zero', entries.map((e) => ({ ...e, amount: 0n })))).toEqual([]);
  });
});

describe('badge definitions', () => {
  it('names weekly badges by the Monday their week starts on', () => {
    expect(weeklyTopBadgeName('author', new Date('2026-11-16T00:00:00Z'))).toBe('top-10-author:2026-11-16');
    expect(badgeDefinition('top-10-curator:2026-11-16')).toEqual({
      name: 'top-10-curator:2026-11-16',
      title: 'Top-10 curator of the week of 2026-11-16',
      description: 'Among the 10 curators paid the most in the week starting 2026-11-16.',
    });
  });

  it('describes every fixed badge, and falls back to the name for an unknown one', () => {
    for (const badge of BADGES) expect(badgeDefinition(badge.name)).toBe(badge);
    expect(new Set(BADGES.map((b) => b.name)).size).toBe(BADGES.length);
    expect(badgeDefinition('retired-badge')).toEqual({ name: 'retired-badge', title: 'retired-badge', description: '' });
  });
});
