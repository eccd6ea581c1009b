import { isDelivered, isOwnAction, voteIsNotified } from '../../domain/notifications/rules';

describe('notification delivery rules', () => {
  it('leaves out a notification about the recipient’s own action, muted or not', () => {
    expect(isOwnAction({ recipient: 'amy', actor: 'amy' })).toBe(true);
    expect(isDelivered({ recipient: 'amy', actor: 'amy' }, false)).toBe(false);
    expect(isDelivered({ recipient: 'amy', actor: 'amy' }, true)).toBe(false);
  });

  it('leaves out a notification from an actor the recipient muted, and delivers the others', () => {
    expect(isOwnAction({ recipient: 'amy', actor: 'bob' })).toBe(false);
    expect(isDelivered({ recipient: 'amy', actor: 'bob' }, true)).toBe(false);
    expect(isDelivered({ recipient: 'amy', actor: 'bob' }, false)).toBe(true);
  });

  it('delivers a notification without an actor (nobody to mute, no own action)', () => {
    for (const actor of [undefined, null]) {
      expect(isOwnAction({ recipient: 'amy', actor })).toBe(false);
      expect(isDelivered({ recipient: 'amy', actor }, true)).toBe(true);
    }
  });
});

describe('which votes an author hears of', () => {
  it('every new vote, even one worth 0 rshares (a voter without stake)', () => {
    expect(voteIsNotified({ kind: 'new', rshares: 19_950_000_000n })).toBe(true);
    expect(voteIsNotified({ kind: 'new', rshares: -5n })).toBe(true);
    expect(voteIsNotified({ kind: 'new', rshares: 0n })).toBe(true);
  });

  it('a change or removal only when it leaves rshares: a change to 0 rshares tells nothing new', () => {
    expect(voteIsNotified({ kind: 'change', rshares: -1n })).toBe(true);
    expect(voteIsNotified({ kind: 'change', rshares: 0n })).toBe(false);
    expect(voteIsNotified({ kind: 'removal', rshares: 0n })).toBe(false);
  });

  it('never a favorite recorded without a vote', () => {
    expect(voteIsNotified({ kind: 'favorite', rshares: 0n })).toBe(false);
    expect(voteIsNotified({ kind: 'favorite', rshares: 19_950_000_000n })).toBe(false);
  });
});
