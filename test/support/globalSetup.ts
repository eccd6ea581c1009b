import { resolveDatabase } from '../../server/database';

/**
 * Starts one database for the whole run (the same resolution `npm start` uses) and hands its URI
 * to the test workers; every test file then works in a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  const mode = process.env.INKWELL_DB === 'standin' ? 'standin' : 'auto';
  const database = await resolveDatabase({
    mongodbUri: process.env.MONGODB_URI,
    mode,
    memoryServerTimeoutMs: 15000,
  });
  process.env.INKWELL_TEST_MONGODB_URI = database.uri;
  process.env.INKWELL_TEST_DB_BACKEND = database.label;
  (globalThis as { __inkwellDatabase?: typeof database }).__inkwellDatabase = database;
  console.log(`\ndatabase backend for this test run: ${database.label} (${database.uri})`);
}
