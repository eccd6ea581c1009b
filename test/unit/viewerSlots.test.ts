import { answerForViewer, patchedAnswer, slottedAnswer, type PresentedArticle, type SlottedAnswer } from '../../routes/presenters/viewerSlots';

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

  it('gives a reader whose values are all the anonymous ones the shared bytes themselves', () => {
    const { value, articles } = page();
    const answer = slottedAnswer(value, articles as PresentedArticle[], refs);
    const anonymousMarks = articles.map(() => ({ favorited: false, favoriteVote: null, following: false }));
    expect(answerForViewer(answer, anonymousMarks)).toBe(answer.body);
    // One value differing: only that slot is rewritten.
    const one = answerForViewer(answer, [anonymousMarks[0]!, { ...anonymousMarks[1]!, following: true }, anonymousMarks[2]!]);
    expect(JSON.parse(one.toString('utf8')).articles.map((a: { author: { following: boolean } }) => a.author.following)).toEqual([false, true, false]);
  });

  it('cannot be fooled by an article whose text looks like a slot', () => {
    const value = { article: article('x:0:0 "false" null', 'eve') };
    const answer = slottedAnswer(value, [value.article as PresentedArticle], [{ id: 'a', author: 'u' }]);
    expect(answer.starts).toHaveLength(3);
    const seen = JSON.parse(answerForViewer(answer, [{ favorited: true, favoriteVote: null, following: true }]).toString('utf8'));
    expect(seen.article).toMatchObject({ title: 'x:0:0 "false" null', favorited: true, favoriteVote: null, author: { following: true } });
  });
});

describe('patching a shared answer after a vote', () => {
  // Titles and names with multi-byte characters: slots and spans are byte offsets.
  const author = (username: string, reputation: string) => ({ username, reputation, following: false });
  const listed = (title: string, by: ReturnType<typeof author>, votes: number) => ({ slug: title, title, favorited: false, favoritesCount: votes, favoriteVote: null as unknown, author: { ...by } });
  const page = (votes: number[], reputations: Record<string, string>) => {
    const articles = [
      listed('Ünïcödé 🎉 one', author('ann', reputations.ann!), votes[0]!),
      listed('two "quoted"', author('bob', reputations.bob!), votes[1]!),
      listed('three — ann again', author('ann', reputations.ann!), votes[2]!),
    ];
    return { value: { articles, articlesCount: 3 }, articles: articles as PresentedArticle[] };
  };
  const refs = (voteSeqs: (number | undefined)[]) => [
    { id: 'a1', author: 'u-ann', voteSeq: voteSeqs[0] },
    { id: 'a2', author: 'u-bob', voteSeq: voteSeqs[1] },
    { id: 'a3', author: 'u-ann', voteSeq: voteSeqs[2] },
  ];
  const shared = (votes: number[], reputations: Record<string, string>, voteSeqs: (number | undefined)[]) => {
    const { value, articles } = page(votes, reputations);
    return slottedAnswer(value, articles, refs(voteSeqs), 'list');
  };
  /** Article `index` of the page with `votes` and `reputations`, as a vote on it presents it. */
  const change = (index: number, voteSeq: number, votes: number[], reputations: Record<string, string>) => ({
    id: `a${index + 1}`,
    author: index === 1 ? 'u-bob' : 'u-ann',
    voteSeq,
    present: () => page(votes, reputations).articles[index]!,
  });
  const marks = [
    { favorited: true, favoriteVote: { status: 'counted' }, following: true },
    { favorited: false, favoriteVote: null, following: false },
    { favorited: true, favoriteVote: { status: 'not_counted', reason: 'VOTE_TOO_SOON' }, following: true },
  ];
  const sameAs = (patched: SlottedAnswer, fresh: SlottedAnswer) => {
    expect(patched.body.toString('utf8')).toBe(fresh.body.toString('utf8'));
    expect(answerForViewer(patched, marks).toString('utf8')).toBe(answerForViewer(fresh, marks).toString('utf8'));
    expect([...patched.spans]).toEqual([...fresh.spans]);
    expect(patched.articles).toEqual(fresh.articles);
  };

  it('gives, byte for byte and slot for slot, the answer presenting it anew gives, the author written into their other articles', () => {
    const before = shared([0, 0, 0], { ann: '0', bob: '0' }, [0, 0, 0]);
    const patched = patchedAnswer(before, change(0, 1, [1, 0, 0], { ann: '311718750', bob: '0' }));
    sameAs(patched, shared([1, 0, 0], { ann: '311718750', bob: '0' }, [1, 0, 0]));
    // The cached answer it came from is left as it was (it may be being sent).
    expect(before.body.toString('utf8')).toBe(JSON.stringify(page([0, 0, 0], { ann: '0', bob: '0' }).value));
    // Another vote, on another author's article, after it.
    const again = patchedAnswer(patched, change(1, 4, [1, 7, 0], { ann: '311718750', bob: '12' }));
    sameAs(again, shared([1, 7, 0], { ann: '311718750', bob: '12' }, [1, 4, 0]));
  });

  it('keeps an article that already shows that vote or a later one', () => {
    const later = shared([5, 0, 0], { ann: '9', bob: '0' }, [5, 0, 0]);
    expect(patchedAnswer(later, change(0, 4, [4, 0, 0], { ann: '8', bob: '0' }))).toBe(later);
    expect(patchedAnswer(later, change(0, 5, [4, 0, 0], { ann: '8', bob: '0' }))).toBe(later);
  });

  it('leaves answers without the article, and answers not presented for patching, as they are', () => {
    const { value, articles } = page([0, 0, 0], { ann: '0', bob: '0' });
    const unpatchable = slottedAnswer(value, articles, refs([0, 0, 0]));
    expect(patchedAnswer(unpatchable, change(0, 1, [1, 0, 0], { ann: '1', bob: '0' }))).toBe(unpatchable);
    const answer = shared([0, 0, 0], { ann: '0', bob: '0' }, [0, 0, 0]);
    expect(patchedAnswer(answer, { ...change(0, 1, [1, 0, 0], { ann: '1', bob: '0' }), id: 'elsewhere' })).toBe(answer);
  });

  it('refuses an answer whose articles are not each in it once, in order', () => {
    const { articles } = page([0, 0, 0], { ann: '0', bob: '0' });
    expect(() => slottedAnswer({ articles: [articles[1], articles[0], articles[2]] }, articles, refs([0, 0, 0]))).toThrow(/in the order given/);
    expect(() => slottedAnswer({ articles: [articles[0]] }, articles, refs([0, 0, 0]))).toThrow(/every article/);
  });
});

