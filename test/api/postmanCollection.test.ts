import type { AddressInfo } from 'node:net';
import { startTestApi, type TestApi } from '../support/api';
import { sharedPath, skipWithoutShared } from '../support/shared';

/**
 * The public RealWorld ("Conduit") Postman collection, run by newman against the API exactly as a
 * RealWorld client's authors run it: every request and every assertion in it must pass.
 */
const collectionFile = sharedPath('realworld', 'Conduit.postman_collection.json');

interface NewmanSummary {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { message: string }; source?: { name?: string } }[];
  };
}

if (!collectionFile) {
  skipWithoutShared('RealWorld Postman collection', 'realworld/Conduit.postman_collection.json');
} else {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('passes in full: every request answered, every assertion true', async () => {
    // newman has no types of its own; it is loaded only where the collection is present.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const newman = require('newman') as { run: (options: object, done: (error: Error | null, summary: NewmanSummary) => void) => void };
    const { port } = api.server.address() as AddressInfo;
    const stamp = Date.now().toString(36);
    const summary = await new Promise<NewmanSummary>((resolve, reject) =>
      newman.run(
        {
          collection: collectionFile,
          globals: {
            values: [
              { key: 'APIURL', value: `http://127.0.0.1:${port}/api` },
              { key: 'USERNAME', value: `postman_${stamp}` },
              { key: 'EMAIL', value: `postman_${stamp}@example.com` },
              { key: 'PASSWORD', value: 'a long postman passphrase' },
            ],
          },
          reporters: [],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
    const failures = summary.run.failures.map((failure) => `${failure.source?.name ?? '?'}: ${failure.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.requests.failed).toBe(0);
    expect(summary.run.stats.requests.total).toBeGreaterThanOrEqual(30);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(300);
  }, 120_000);
}
