import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { testMongoUri } from '../support/database';
import { sharedPath, skipWithoutShared } from '../support/shared';
import { parseSpecFile, runSpecTest, unmetRequirement, type SpecFile, type SpecTest, type TestOutcome } from './unifiedRunner';

/**
 * MongoDB's CRUD specification tests (unified format), run with the official driver against the
 * run's database backend. Tests the backend cannot run are reported as skipped with the reason
 * (printed at the end), never counted as passed and never registered as jest tests.
 */
const specDir = sharedPath('mongodb-spec-tests', 'crud');

/** Operations and options the stand-in deliberately does not claim, with the honest reason. */
const UNSUPPORTED: { pattern: RegExp; reason: string }[] = [
  { pattern: /^client-bulkWrite|clientBulkWrite/, reason: 'client.bulkWrite needs a MongoDB 8.0 server' },
  { pattern: /collation/, reason: 'collation is not implemented' },
  { pattern: /-let\.json$/, reason: '`let` variables are not implemented' },
  { pattern: /rawdata/, reason: 'rawData is a server-internal option' },
  { pattern: /merge|aggregate-out/, reason: '$merge/$out are refused by the stand-in' },
  { pattern: /bypassDocumentValidation/, reason: 'schema validation is not implemented' },
  { pattern: /errorResponse/, reason: 'failPoint-driven error responses need a test-commands-enabled server' },
  { pattern: /dots_and_dollars/, reason: 'dotted and $-prefixed field names are not implemented' },
  { pattern: /^db-aggregate\.json$/, reason: '$listLocalSessions needs the server session cache' },
  {
    pattern: /^create-null-ids\.json › inserting _id with type null via (insertOne|insertMany|replaceOne|bulkWrite)$/,
    reason: 'the Node.js driver replaces a null _id with a new ObjectId before sending (utils.js), whatever the server',
  },
];

if (!specDir) {
  skipWithoutShared('MongoDB CRUD conformance', 'mongodb-spec-tests/crud');
} else {
  const files = readdirSync(specDir).filter((name) => name.endsWith('.json')).sort();
  const summary: { file: string; test: string; outcome: TestOutcome }[] = [];
  let client: MongoClient;
  let serverVersion = '0.0.0';
  const isStandin = () => serverVersion.includes('standin');

  beforeAll(async () => {
    client = new MongoClient(testMongoUri(), { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    serverVersion = String(info.version);
  });

  afterAll(async () => {
    await client?.close();
    const count = (status: string) => summary.filter((entry) => entry.outcome.status === status).length;
    const lines = [
      `CRUD conformance against ${process.env.INKWELL_TEST_DB_BACKEND ?? 'the test database'} (server ${serverVersion}):`,
      `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
      ...summary.filter((entry) => entry.outcome.status === 'skipped').map((entry) => `  skipped ${entry.file} › ${entry.test}: ${(entry.outcome as { reason: string }).reason}`),
      'expectEvents are not verified: they describe the commands the driver sends, not what the server answers.',
    ];
    console.log(lines.join('\n'));
  });

  describe.each(files)('%s', (file) => {
    const spec: SpecFile = parseSpecFile(readFileSync(path.join(specDir, file), 'utf8'));
    const exclusionFor = (t: SpecTest) => UNSUPPORTED.find(({ pattern }) => pattern.test(file) || pattern.test(`${file} › ${t.description}`));

    test(`${spec.tests.length} spec tests`, async () => {
      const failures: string[] = [];
      for (const t of spec.tests) {
        let outcome: TestOutcome;
        const excluded = exclusionFor(t);
        const unmet = unmetRequirement(spec.runOnRequirements, serverVersion, 'single') ?? unmetRequirement(t.runOnRequirements, serverVersion, 'single');
        if (unmet) outcome = { status: 'skipped', reason: unmet };
        else if (excluded && (isStandin() || excluded.reason.includes('Node.js driver'))) outcome = { status: 'skipped', reason: excluded.reason };
        else outcome = await runSpecTest(client, spec, t);
        summary.push({ file, test: t.description, outcome });
        if (outcome.status === 'failed') failures.push(`${t.description}: ${outcome.reason}`);
      }
      expect(failures).toEqual([]);
    });
  });
}
