import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';

/** The URI of the run's database server (started once by globalSetup). */
export function testMongoUri(): string {
  const uri = process.env.INKWELL_TEST_MONGODB_URI;
  if (!uri) throw new Error('INKWELL_TEST_MONGODB_URI is not set: run the tests through jest (globalSetup)');
  return uri;
}

/** A database name no other test file uses, so files can run in parallel. */
export function uniqueDatabaseName(prefix = 'test'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** Connects a fresh mongoose connection to a private database; drop it with `closeTestConnection`. */
export async function openTestConnection(prefix?: string): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(testMongoUri(), { dbName: uniqueDatabaseName(prefix) });
  await connection.asPromise();
  return connection;
}

export async function closeTestConnection(connection: mongoose.Connection): Promise<void> {
  await connection.dropDatabase().catch(() => {});
  await connection.close();
}
