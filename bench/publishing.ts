import autocannon from 'autocannon';
import type { PlatformProcess } from './platformProcess';

export interface LoadResult {
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Token ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Seeds `count` articles from `authors` users through the API, `concurrency` at a time. */
export async function seedArticles(platform: PlatformProcess, count: number, authors = 20, concurrency = 16): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < authors; i += 1) {
    const name = `bench_author_${i}_${Date.now().toString(36)}`;
    const { user } = (await post(`${platform.url}/api/users`, { user: { username: name, email: `${name}@bench.example`, password: 'benchmark-password' } })) as { user: { token: string } };
    tokens.push(user.token);
  }
  const slugs: string[] = new Array(count);
  let next = 0;
  const body = '## A benchmark article\n\nSome **Markdown** with a [link](https://example.com) and an image ![x](https://img.example.com/x.png).\n\n- one\n- two\n';
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const { article } = (await post(
          `${platform.url}/api/articles`,
          { article: { title: `Benchmark article ${i}`, description: 'seeded', body, tagList: [`tag${i % 50}`, 'bench'] } },
          tokens[i % tokens.length],
        )) as { article: { slug: string } };
        slugs[i] = article.slug;
      }
    }),
  );
  return slugs;
}

export async function load(baseUrl: string, path: string, seconds: number, connections = 50): Promise<LoadResult> {
  const result = await autocannon({ url: `${baseUrl}${path}`, connections, duration: seconds, pipelining: 1 });
  return {
    path,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
