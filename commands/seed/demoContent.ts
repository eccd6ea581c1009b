/**
 * The demo site's content (`npm run seed`, `npm start -- --seed`): written for Inkwell, in its own
 * words. Accounts are fictional; their password is shown in the README so a newcomer can log in as one.
 */

export const DEMO_PASSWORD = 'inkwell-demo-passphrase';

export interface DemoAccount {
  username: string;
  bio: string;
}

export const DEMO_AUTHORS: DemoAccount[] = [
  { username: 'mara_quill', bio: 'Writes long pieces about small tools. Keeps a paper notebook for drafts.' },
  { username: 'tomas-fern', bio: 'Gardener, cyclist, occasional baker. Posts on Sundays.' },
  { username: 'ada_lindqvist', bio: 'Backend engineer. Explains databases to anyone who stands still.' },
];

export const DEMO_READERS: DemoAccount[] = [
  { username: 'reader_juno', bio: 'Reads everything twice.' },
  { username: 'reader_oskar', bio: 'Mostly here for the bread recipes.' },
  { username: 'reader_priya', bio: 'Curates what she likes, comments when it matters.' },
  { username: 'reader_wen', bio: 'New here.' },
];

export interface DemoArticle {
  author: string;
  title: string;
  description: string;
  tagList: string[];
  body: string;
}

const FIELD_GUIDE = `# A field guide to writing on Inkwell

Inkwell is a place to publish **Markdown** and be paid for it when readers find it worth their vote.
This guide is itself a demo article: it shows what a post can hold, and explains, in passing, how the
site around it works.

![A desk with a notebook, a pen and a cup of tea](https://picsum.photos/seed/inkwell-desk/960/420)

## Why Markdown

Markdown is plain text that reads well before it is rendered. A heading is a line that starts with a
hash, emphasis is a pair of asterisks, a list is a column of dashes. Nothing about it locks your words
into one program: the text you write here is the text you could paste anywhere else.

A few things worth knowing before you start:

- Paragraphs are separated by an empty line. A single line break inside a paragraph is kept as a space.
- *Emphasis*, **strong emphasis** and \`inline code\` work as you would expect.
- Links look like [this one to the RealWorld project](https://realworld-docs.netlify.app/), and bare
  addresses such as https://example.org are turned into links too.
- Images are links with an exclamation mark in front; the text in brackets is what a screen reader says.

## What happens when you press publish

1. Your Markdown is rendered to HTML once, when you save, and the HTML is cleaned of anything that could
   run in a reader's browser.
2. The article gets a slug from its title. If you change the title later, the old address keeps working.
3. The first revision is recorded. Every later edit adds another, with a diff against the one before.
4. A **payout window** opens. Votes cast during it decide what the article earns when it closes.

> A vote is not a like. It spends a little of the voter's mana, it carries their stake, and part of what
> the post earns goes back to the people who found it early.

## Votes, mana and rewards

Every account has voting mana that refills over five days. A full-strength upvote uses two percent of it,
so a reader who votes all day soon votes with less weight. Stake comes from a linked Steem account; an
account without one still votes, but its votes move no money.

When the window closes, the worker settles the post with Steem's own reward rules: the author's share,
the curators' share, any beneficiaries an author named, and what is too small to pay goes back to the
fund. Each payment is sent on chain and leaves a receipt anyone can check.

| part of a payout | who receives it |
|---|---|
| author rewards | the author, or split with beneficiaries |
| curation rewards | the voters, by how early and how strongly they voted |
| dust | nobody: it returns to the reward fund |

## A little code

Code blocks keep their spacing and are never run. Here is how a client asks for the newest articles
about gardening, then searches the whole site:

\`\`\`sh
curl 'http://127.0.0.1:3000/api/articles?tag=garden&limit=5'
curl 'http://127.0.0.1:3000/api/articles?q=sourdough+-rye'
\`\`\`

And the same from JavaScript:

\`\`\`js
const response = await fetch('/api/articles?q=' + encodeURIComponent('"payout window"'));
const { articles, articlesCount } = await response.json();
console.log(articlesCount, articles.map((article) => article.title));
\`\`\`

## Searching

The search box reads words the way a careful librarian would: *gardening*, *gardens* and *gardener*
all find the same posts, small words such as *the* and *of* are ignored, \`"quoted phrases"\` must appear
as written, and a word with a minus in front, like \`-rye\`, keeps posts that mention it out. A word in a
title counts for more than the same word in a tag, a description or the body.

## Good habits

- Write the title last. It is the one line every reader sees.
- Put one idea in each paragraph, and let the headings carry the outline.
- Describe images in their alt text; not every reader sees them.
- Reply to comments. Threads are where a post keeps living after its payout.

![Rows of seedlings on a windowsill](https://picsum.photos/seed/inkwell-seedlings/960/420)

## Where to go next

Read the [API reference](/api/docs) to build your own front end, or open the profile of any author on
this demo site and follow them: their next post will appear in your feed. Happy writing.
`;

export const DEMO_ARTICLES: DemoArticle[] = [
  {
    author: 'mara_quill',
    title: 'A field guide to writing on Inkwell',
    description: 'Headings, lists, images, links and code: what a post can hold, and how votes turn into rewards',
    tagList: ['guide', 'markdown', 'inkwell'],
    body: FIELD_GUIDE,
  },
  {
    author: 'tomas-fern',
    title: 'Gardening in small spaces',
    description: 'Tomatoes, herbs and beans on a balcony two metres wide',
    tagList: ['garden', 'balcony'],
    body: `## Start with light

Before buying a single pot, watch where the sun falls for a whole day. Six hours of direct light grows
tomatoes; three grows lettuce and mint; less than that grows patience.

## What worked this year

- **Cherry tomatoes** in a 20-litre tub, tied to a bamboo cane.
- **Runner beans** up a string trellis against the railing.
- **Thyme and oregano** in a shallow trough that dries out quickly, which they like.

![Tomatoes ripening on a balcony railing](https://picsum.photos/seed/inkwell-tomatoes/800/400)

Water in the evening, feed every second week once the first flowers open, and pinch out the side shoots.`,
  },
  {
    author: 'tomas-fern',
    title: 'Sourdough bread at home',
    description: 'A loaf a week from flour, water, salt and a jar on the counter',
    tagList: ['bread', 'kitchen'],
    body: `A starter is flour and water left to ferment until wild yeast and bacteria settle in. Feed it daily for
a week and it will double within hours of each feeding: then it is ready.

1. Mix 100 g of active starter, 350 g of water and 500 g of flour. Rest for an hour.
2. Add 10 g of salt and fold the dough every half hour, four times.
3. Shape, put it in a floured basket, and leave it in the fridge overnight.
4. Bake in a covered pot at 250 °C for 20 minutes, then uncovered for 25.

Rye flour makes a denser, sourer loaf; this one uses none.`,
  },
  {
    author: 'ada_lindqvist',
    title: 'How a text index finds your words',
    description: 'Tokens, stop words, stems and scores: what happens between the search box and the results',
    tagList: ['databases', 'search'],
    body: `A text index does not store your sentences. It stores **terms**: the words of each field, lowercased,
without the very common ones, and cut down to their stem, so *running*, *runs* and *run* are one term.

Each term gets a score per document. A word repeated in a short title scores more than the same word
once in a long body, and every field has a weight: on this site a title counts ten times the body.

\`\`\`js
db.articles.find({ $text: { $search: 'index -legacy' } }).sort({ score: { $meta: 'textScore' } });
\`\`\`

The query is split the same way. A minus excludes a term, quotes require a phrase, and the score of a
match adds up the scores of the query's terms it contains.`,
  },
  {
    author: 'ada_lindqvist',
    title: 'Winter cycling without misery',
    description: 'Studded tyres, good lights and dry socks',
    tagList: ['bikes', 'winter'],
    body: `Three things make the difference between a commute you dread and one you enjoy:

- **Studded tyres** when the roads freeze. They are loud on dry asphalt and worth every decibel on ice.
- **A good light**, front and back, on all day: winter afternoons are short.
- **Dry socks** in your bag. Your feet will get wet; they do not have to stay wet.

Clean the chain after salted roads, every week, or it will not see spring.`,
  },
];

export interface DemoComment {
  article: string;
  author: string;
  body: string;
  /** Index, in this list, of the comment this one replies to. */
  replyTo?: number;
}

export const DEMO_COMMENTS: DemoComment[] = [
  { article: 'A field guide to writing on Inkwell', author: 'reader_priya', body: 'The table of payout parts finally made curation rewards click for me. Thank you!' },
  { article: 'A field guide to writing on Inkwell', author: 'mara_quill', body: 'Glad it helped, @reader_priya. Voting early matters more than voting big.', replyTo: 0 },
  { article: 'Sourdough bread at home', author: 'reader_oskar', body: 'Tried it with 10% rye anyway. Denser, as promised, and very good.' },
  { article: 'Gardening in small spaces', author: 'reader_juno', body: 'Which variety of cherry tomato did you grow?' },
  { article: 'Gardening in small spaces', author: 'tomas-fern', body: 'Sungold. Sweet, early, and it forgives a missed watering.', replyTo: 3 },
  { article: 'How a text index finds your words', author: 'reader_wen', body: 'So that is why searching "gardens" found the gardening post.' },
];

/** Who votes on what, and how strongly (basis points); each voter's votes are cast in this order. */
export const DEMO_VOTES: { voter: string; article: string; weight: number }[] = [
  { voter: 'reader_priya', article: 'A field guide to writing on Inkwell', weight: 10000 },
  { voter: 'reader_juno', article: 'A field guide to writing on Inkwell', weight: 7500 },
  { voter: 'reader_oskar', article: 'Sourdough bread at home', weight: 10000 },
  { voter: 'reader_wen', article: 'How a text index finds your words', weight: 5000 },
  { voter: 'reader_priya', article: 'Gardening in small spaces', weight: 6000 },
  { voter: 'reader_juno', article: 'Gardening in small spaces', weight: 10000 },
  { voter: 'ada_lindqvist', article: 'A field guide to writing on Inkwell', weight: 10000 },
  { voter: 'tomas-fern', article: 'How a text index finds your words', weight: 8000 },
  { voter: 'reader_oskar', article: 'Winter cycling without misery', weight: 3000 },
  { voter: 'reader_priya', article: 'Sourdough bread at home', weight: 10000 },
];

/** Who follows whom: the feed of a demo reader is not empty. */
export const DEMO_FOLLOWS: { follower: string; followee: string }[] = [
  { follower: 'reader_priya', followee: 'mara_quill' },
  { follower: 'reader_juno', followee: 'tomas-fern' },
  { follower: 'reader_oskar', followee: 'tomas-fern' },
  { follower: 'reader_wen', followee: 'ada_lindqvist' },
];
