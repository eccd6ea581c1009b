import autocannon from 'autocannon';
import { startMongoStandinProcess } from '../devinfra/mongo-standin';
import { startPlatformProcess, type PlatformProcess } from './platformProcess';
import { load, seedArticles, type LoadResult } from './publishing';

/**
 * Anonymous list throughput of one API process, then of two API processes on the same database (the
 * offline stand-in as its own process), with autocannon's 50 connections in all: 50 on the one
 * process, 25 on each of the two.
 */
export interface ProcessesResult {
  articles: number;
  seconds: number;
  one: LoadResult;
  two: { perProcess: LoadResult[]; requestsPerSecond: number };
}

const PATH = '/api/articles?limit=20';

async function split(platforms: PlatformProcess[], seconds: number): Promise<LoadResult[]> {
  const connections = Math.floor(50 / platforms.length);
  const results = await Promise.all(platforms.map((p) => autocannon({ url: `${p.url}${PATH}`, connections, duration: seconds, pipelining: 1 })));
  return results.map((result) => ({
    path: PATH,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }));
}

export async function processesLoad(articles = 1000, seconds = 15): Promise<ProcessesResult> {
  const standin = await startMongoStandinProcess();
  const env = { WORKER: 'off', MONGODB_URI: `${standin.uri}inkwell_processes` };
  const first = await startPlatformProcess(env);
  let second: PlatformProcess | undefined;
  try {
    await seedArticles(first, articles);
    await load(first.url, PATH, 5);
    const one = await load(first.url, PATH, seconds);
    second = await startPlatformProcess(env);
    await split([first, second], 5);
    const perProcess = await split([first, second], seconds);
    return { articles, seconds, one, two: { perProcess, requestsPerSecond: perProcess.reduce((sum, r) => sum + r.requestsPerSecond, 0) } };
  } finally {
    await second?.stop();
    await first.stop();
    await standin.stop();
  }
}
