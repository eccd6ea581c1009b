import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startLocalDatabase } from '../../devinfra/local-database/process';

const ROOT = path.resolve(__dirname, '../..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the local database process (no MONGODB_URI)', () => {
  it('serves the stand-in when asked, over the wire, and ends with stop()', async () => {
    const database = await startLocalDatabase({ mode: 'standin', memoryServerTimeoutMs: 1000 });
    expect(database.backend).toBe('offline stand-in');
    expect(database.fallbackReason).toBeUndefined();
    const client = await MongoClient.connect(database.uri);
    try {
      await client.db('local-database-test').collection('things').insertOne({ _id: 1 as never, n: 1 });
      expect(await client.db('local-database-test').collection('things').findOne({ _id: 1 as never })).toEqual({ _id: 1, n: 1 });
    } finally {
      await client.close();
    }
    await database.stop();
    expect(alive(database.pid)).toBe(false);
  }, 60_000);

  it('says why it fell back when mode auto found no mongod, and gives a real mongod otherwise', async () => {
    const database = await startLocalDatabase({ mode: 'auto', memoryServerTimeoutMs: 15_000 });
    try {
      if (database.backend === 'offline stand-in') expect(database.fallbackReason).toMatch(/\S/);
      else expect(database).toMatchObject({ backend: 'mongodb-memory-server', label: expect.stringMatching(/^mongodb-memory-server \d/) });
    } finally {
      await database.stop();
    }
  }, 60_000);

  it('keeps mongodb-memory-server out of the process that resolves the database', () => {
    const script = `
      const { resolveDatabase } = require('./server/database.ts');
      resolveDatabase({ mode: 'auto', memoryServerTimeoutMs: 15000 }).then(async (database) => {
        const loaded = Object.keys(require.cache).filter((file) => file.includes('mongodb-memory-server'));
        console.log(JSON.stringify({ backend: database.backend, loaded }));
        await database.stop();
      });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const { backend, loaded } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { backend: string; loaded: string[] };
    expect(['offline stand-in', 'mongodb-memory-server']).toContain(backend);
    expect(loaded).toEqual([]);
  }, 60_000);
});
