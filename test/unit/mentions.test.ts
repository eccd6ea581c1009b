import { extractMentions, MAX_MENTIONS_PER_BODY } from '../../domain/articles/mentions';

describe('extractMentions', () => {
  it.each([
    ['Thanks @Alice and @bob_2!', ['alice', 'bob_2']],
    ['@carol at the start, @carol again', ['carol']],
    ['write to dave@example.com or see https://x.test/@eve', []],
    ['`@inline` code and\n```\n@fenced\n```\nbut @real', ['real']],
    ['(@paren) and @dot. End', ['paren', 'dot']],
    ['@a.b looks like a domain', []],
    ['@@double', []],
  ])('finds the mentions in %j', (body, expected) => {
    expect(extractMentions(body)).toEqual(expected);
  });

  it(`notifies at most ${MAX_MENTIONS_PER_BODY} people per body`, () => {
    const body = Array.from({ length: 30 }, (_, i) => `@user${i}`).join(' ');
    expect(extractMentions(body)).toHaveLength(MAX_MENTIONS_PER_BODY);
  });
});
