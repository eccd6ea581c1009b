import { answerForViewer, slottedAnswer, type PresentedArticle } from '../../routes/presenters/viewerSlots';

function article(title: string, author: string) {
  return { slug: title.toLowerCase(), title, favorited: false, favoritesCount: 3, favoriteVote: null as unknown, body: `${title} — “quoted” \\ "escaped" ünïcödé 🎉`, author: { username: author, following: false } };
}

describe('shared answers with per-reader slots', () => {
  const page = () => {
    const articles = [article('First', 'ann'), article('Second "with quotes"', 'bob'), article('Third', 'ann')];
    return { value: { articles, articlesCount: 3 }, articles };
  };
  const refs = [
    { id: 'a1', author: 'u1' },
    { id: 'a2', author: 'u2' },
    { id: 'a3', author: 'u1' },
  ];

  it('serialises the anonymous answer exactly as JSON.stringify does', () => {
    const { value, articles } = page();
    const expected = JSON.stringify(value);
    const answer = slottedAnswer(value, articles as PresentedArticle[], refs);
    expect(answer.body.toString('utf8')).toBe(expected);
    expect(answer.starts).toHaveLength(9);
    // The presented objects are left as an anonymous reader sees them.
    expect(JSON.stringify(value)).toBe(expected);
  });

  it("writes each reader's own values into the shared answer, byte for byte what presenting for them gives", () => {
    const { value, articles } = page();
    const answer = slottedAnswer(value, articles as PresentedArticle[], refs);
    const marks = [
      { favorited: true, favoriteVote: { status: 'counted' }, following: false },
      { favorited: false, favoriteVote: null, following: true },
      { favorited: true, favoriteVote: { status: 'not_counted', reason: 'VOTE_TOO_SOON' }, following: false },
    ];
    const own = page();
    own.articles.forEach((presented, i) => {
      presented.favorited = marks[i]!.favorited;
      presented.favoriteVote = marks[i]!.favoriteVote;
      presented.author.following = marks[i]!.following;
    });
    expect(answerForViewer(answer, marks).toString('utf8')).toBe(JSON.stringify(own.value));
    // The shared answer itself is unchanged.
    expect(answer.body.toString('utf8')).toBe(JSON.stringify(page().value));
  });

  it('cannot be fooled by an article whose text looks like a slot', () => {
    const value = { article: article('x:0:0 "false" null', 'eve') };
    const answer = slottedAnswer(value, [value.article as PresentedArticle], [{ id: 'a', author: 'u' }]);
    expect(answer.starts).toHaveLength(3);
    const seen = JSON.parse(answerForViewer(answer, [{ favorited: true, favoriteVote: null, following: true }]).toString('utf8'));
    expect(seen.article).toMatchObject({ title: 'x:0:0 "false" null', favorited: true, favoriteVote: null, author: { following: true } });
  });
});
