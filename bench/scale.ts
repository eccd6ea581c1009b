import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { startMongoStandinProcess } from '../devinfra/mongo-standin';
import { startPlatformProcess } from './platformProcess';

/**
 * The read paths at 10,000 and at 250,000 articles: the list, one article, the feed, a tag and an
 * author, each against an API process on the offline stand-in holding the articles. The articles are
 * written straight into the database in bulk (the API's own publishing rate is the publishing bench's
 * business), each a copy of one article published through the API with the sample article's body.
 * Written around the API, they are then counted per tag and per author as an operator would after a
 * bulk load (`npm run admin -- recount`), so lists read their stored counts.
 */

const AUTHORS = 50;
const TAGS = 100;
const FOLLOWED = 20;
const BATCH = 1000;
const SAMPLES = 150;
const WARM_UP = 20;

export interface QueryLatency {
  name: string;
  path: string;
  p50Ms: number;
  meanMs: number;
  p99Ms: number;
}

export interface ScaleResult {
  sizes: number[];
  latencies: Map<number, QueryLatency[]>;
  insertSeconds: Map<number, number>;
  /** `npm run admin -- recount` after each bulk load, in seconds. */
  recountSeconds: Map<number, number>;
  bodyBytes: number;
  standinPeakMiB: number;
  plans: { name: string; plan: string }[];
}

/**
 * The shared sample article's Markdown (3.6 KB; issue 19 asks for bodies of its size), or a stand-in
 * text of about that size when ../shared is absent.
 */
function markdownBody(): string {
  const sample = path.resolve(__dirname, '..', '..', 'shared', 'sample-article.txt');
  if (existsSync(sample)) return readFileSync(sample, 'utf8');
  return '## A section\n\nSome **Markdown** with a [link](https://example.com), `code`, and a list:\n\n- one\n- two\n\n> a quote\n\n'.repeat(30);
}

async function api(base: string, method: string, route: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Sequential authenticated requests; the platform keeps no answers (READ_CACHE_MAX_BYTES=0), so every one reaches the database. */
async function timeQuery(base: string, token: string, name: string, paths: () => string): Promise<QueryLatency> {
  const times: number[] = [];
  let example = '';
  for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const route = paths();
    example ||= route;
    const started = performance.now();
    const response = await fetch(`${base}${route}`, { headers: { authorization: `Token ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${route} answered ${response.status}`);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name, path: example, p50Ms: round(percentile(times, 50)), meanMs: round(times.reduce((a, b) => a + b, 0) / times.length), p99Ms: round(percentile(times, 99)) };
}

async function insertArticles(db: Db, template: Document, authors: ObjectId[], from: number, to: number, epoch: number): Promise<void> {
  const { _id: _templateId, ...fields } = template;
  for (let start = from; start < to; start += BATCH) {
    const docs: Document[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      const createdAt = new Date(epoch + i * 1000);
      docs.push({
        ...fields,
        _id: new ObjectId(),
        slug: `scale-article-${i}`,
        title: `Scale article ${i}`,
        author: authors[i % authors.length],
        tagList: [`tag${i % TAGS}`, 'scale'],
        createdAt,
        updatedAt: createdAt,
        payoutAt: new Date(createdAt.getTime() + 7 * 86_400_000),
      });
    }
    await db.collection('articles').insertMany(docs, { ordered: false });
  }
}

/** `npm run admin -- recount` against the bench's database. */
function recountArticles(uri: string): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'workers/admin.ts', 'recount'], {
    cwd: path.resolve(__dirname, '..'),
    env: { PATH: process.env.PATH, MONGODB_URI: uri, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm run admin -- recount failed (${run.status}): ${run.stderr}`);
}

function planOf(explained: Document): string {
  const stages: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.stage === 'string' && /SCAN|IDHACK/.test(record.stage)) stages.push(record.indexName ? `${record.stage} ${String(record.indexName)}` : record.stage);
    for (const value of Object.values(record)) visit(value);
  };
  visit((explained.queryPlanner as Document | undefined)?.winningPlan ?? explained);
  return stages.join(', ') || 'unknown';
}

export async function scaleLoad(sizes = [10_000, 250_000]): Promise<ScaleResult> {
  // The stand-in holds every article in its heap: 250,000 bodies, their HTML and the indexes take several GB.
  const standin = await startMongoStandinProcess({ nodeOptions: ['--max-old-space-size=12288'] });
  const uri = `${standin.uri}inkwell_scale`;
  // Signed-in reads are served from the read cache too: with no cache, every request runs its queries.
  const platform = await startPlatformProcess({ WORKER: 'off', MONGODB_URI: uri, READ_CACHE_MAX_BYTES: '0' });
  const client = await MongoClient.connect(uri);
  try {
    const db = client.db();
    const stamp = Date.now().toString(36);
    const register = async (name: string) =>
      ((await api(platform.url, 'POST', '/api/users', { user: { username: name, email: `${name}@bench.example`, password: 'benchmark-password' } })).user as { token: string }).token;
    const authorNames = Array.from({ length: AUTHORS }, (_, i) => `scale_${stamp}_${i}`);
    const authorTokens = [];
    for (const name of authorNames) authorTokens.push(await register(name));
    const reader = await register(`scale_${stamp}_reader`);
    for (const name of authorNames.slice(0, FOLLOWED)) await api(platform.url, 'POST', `/api/profiles/${name}/follow`, undefined, reader);
    const body = markdownBody();
    const published = (await api(platform.url, 'POST', '/api/articles', { article: { title: 'Scale template', description: 'the template', body, tagList: ['scale'] } }, authorTokens[0]))
      .article as { slug: string };
    const template = (await db.collection('articles').findOne({ slug: published.slug }))!;
    const authors = (await db.collection('users').find({ username: { $in: authorNames } }, { projection: { _id: 1 } }).toArray()).map((u) => u._id as ObjectId);
    const epoch = Date.now() - 400_000 * 1000;

    const latencies = new Map<number, QueryLatency[]>();
    const insertSeconds = new Map<number, number>();
    const recountSeconds = new Map<number, number>();
    let inserted = 0;
    for (const size of sizes) {
      const started = Date.now();
      await insertArticles(db, template, authors, inserted, size, epoch);
      insertSeconds.set(size, (Date.now() - started) / 1000);
      const recountStarted = Date.now();
      recountArticles(uri);
      recountSeconds.set(size, (Date.now() - recountStarted) / 1000);
      inserted = size;
      console.log(`scale: ${size.toLocaleString('en')} articles (${insertSeconds.get(size)!.toFixed(1)} s to insert)`);
      const random = (n: number) => Math.floor(Math.random() * n);
      latencies.set(size, [
        await timeQuery(platform.url, reader, 'list, newest first', () => '/api/articles?limit=20'),
        await timeQuery(platform.url, reader, 'one article', () => `/api/articles/scale-article-${random(size)}`),
        await timeQuery(platform.url, reader, 'feed', () => '/api/articles/feed?limit=20'),
        await timeQuery(platform.url, reader, 'tag', () => `/api/articles?tag=tag${random(TAGS)}&limit=20`),
        await timeQuery(platform.url, reader, 'author', () => `/api/articles?author=${authorNames[random(AUTHORS)]}&limit=20`),
      ]);
      console.log(latencies.get(size));
    }
    const articles = db.collection('articles');
    const plans = [
      { name: 'list', plan: planOf(await articles.find({}).sort({ createdAt: -1, _id: -1 }).limit(20).explain()) },
      { name: 'one article', plan: planOf(await articles.find({ slug: 'scale-article-7' }).explain()) },
      { name: 'feed', plan: planOf(await articles.find({ author: { $in: authors.slice(0, FOLLOWED) } }).sort({ createdAt: -1 }).limit(20).explain()) },
      { name: 'tag', plan: planOf(await articles.find({ tagList: 'tag7' }).sort({ createdAt: -1 }).limit(20).explain()) },
      { name: 'author', plan: planOf(await articles.find({ author: authors[0] }).sort({ createdAt: -1 }).limit(20).explain()) },
    ];
    const status = readFileSync(`/proc/${standin.pid}/status`, 'utf8');
    const standinPeakMiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
    return { sizes, latencies, insertSeconds, recountSeconds, bodyBytes: Buffer.byteLength(body), standinPeakMiB, plans };
  } finally {
    await client.close();
    await platform.stop();
    await standin.stop();
  }
}
