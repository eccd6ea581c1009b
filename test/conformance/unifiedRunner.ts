import { EJSON } from 'bson';
import { MongoBulkWriteError, MongoServerError, type Collection, type Db, type Document, type MongoClient } from 'mongodb';
import { unifiedMatch, UnsupportedFeature } from './unifiedMatch';

export interface SpecFile {
  description: string;
  runOnRequirements?: Requirement[];
  createEntities: Document[];
  initialData?: { collectionName: string; databaseName: string; documents: Document[] }[];
  tests: SpecTest[];
}

interface Requirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: string;
  auth?: boolean;
  csfle?: boolean;
}

export interface SpecTest {
  description: string;
  runOnRequirements?: Requirement[];
  operations: Operation[];
  outcome?: { collectionName: string; databaseName: string; documents: Document[] }[];
  expectEvents?: unknown[];
}

interface Operation {
  name: string;
  object: string;
  arguments?: Document;
  expectResult?: unknown;
  expectError?: Document;
  saveResultAsEntity?: string;
}

export type TestOutcome = { status: 'passed' } | { status: 'failed'; reason: string } | { status: 'skipped'; reason: string };

export function parseSpecFile(text: string): SpecFile {
  return EJSON.parse(text, { relaxed: true }) as SpecFile;
}

function versionNumber(version: string): number {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version) ?? []).slice(1).map((part) => Number(part ?? 0));
  return major * 1_000_000 + minor * 1_000 + patch;
}

/** Why a test cannot run against this server, or null when its requirements are met. */
export function unmetRequirement(requirements: Requirement[] | undefined, serverVersion: string, topology: string): string | null {
  if (!requirements || requirements.length === 0) return null;
  const reasons = requirements.map((req) => {
    if (req.minServerVersion && versionNumber(serverVersion) < versionNumber(req.minServerVersion)) return `needs server ≥ ${req.minServerVersion} (have ${serverVersion})`;
    if (req.maxServerVersion && versionNumber(serverVersion) > versionNumber(req.maxServerVersion)) return `needs server ≤ ${req.maxServerVersion} (have ${serverVersion})`;
    if (req.topologies && !req.topologies.includes(topology)) return `needs topology ${req.topologies.join('/')} (have ${topology})`;
    if (req.serverless === 'require') return 'needs serverless';
    if (req.auth === true) return 'needs auth';
    if (req.csfle === true) return 'needs client-side encryption';
    return null;
  });
  return reasons.every((reason) => reason !== null) ? reasons[0]! : null;
}

interface Entities {
  databases: Map<string, Db>;
  collections: Map<string, Collection>;
}

function buildEntities(client: MongoClient, file: SpecFile): Entities {
  const databases = new Map<string, Db>();
  const collections = new Map<string, Collection>();
  for (const entity of file.createEntities) {
    if (entity.database) databases.set(entity.database.id, client.db(entity.database.databaseName, entity.database.databaseOptions));
    if (entity.collection) {
      const db = databases.get(entity.collection.database)!;
      collections.set(entity.collection.id, db.collection(entity.collection.collectionName, entity.collection.collectionOptions));
    }
    if (entity.session || entity.bucket || entity.clientEncryption) throw new UnsupportedFeature(`entity ${Object.keys(entity)[0]}`);
  }
  return { databases, collections };
}

async function resetData(client: MongoClient, file: SpecFile): Promise<void> {
  for (const data of file.initialData ?? []) {
    const db = client.db(data.databaseName);
    await db.collection(data.collectionName).drop().catch(() => {});
    await db.createCollection(data.collectionName);
    if (data.documents.length > 0) await db.collection(data.collectionName).insertMany(data.documents);
  }
}

/** The driver options of an operation's arguments, without the ones passed positionally. */
function optionsOf(args: Document, positional: string[]): Document {
  const options = Object.fromEntries(Object.entries(args).filter(([key]) => !positional.includes(key)));
  // The unified format spells it "After"/"Before"; the Node driver takes lowercase.
  if (typeof options.returnDocument === 'string') options.returnDocument = options.returnDocument.toLowerCase();
  if (options.session !== undefined) throw new UnsupportedFeature('sessions');
  return options;
}

async function execute(operation: Operation, entities: Entities): Promise<unknown> {
  const args = operation.arguments ?? {};
  const collection = entities.collections.get(operation.object);
  const database = entities.databases.get(operation.object);
  if (database) {
    if (operation.name === 'aggregate') return database.aggregate(args.pipeline, optionsOf(args, ['pipeline'])).toArray();
    if (operation.name === 'runCommand') return database.command(args.command);
    throw new UnsupportedFeature(`database operation ${operation.name}`);
  }
  if (!collection) throw new UnsupportedFeature(`operation ${operation.name} on ${operation.object}`);
  switch (operation.name) {
    case 'find':
      return collection.find(args.filter, optionsOf(args, ['filter'])).toArray();
    case 'findOne':
      return collection.findOne(args.filter, optionsOf(args, ['filter']));
    case 'insertOne':
      return collection.insertOne(args.document, optionsOf(args, ['document']));
    case 'insertMany':
      return collection.insertMany(args.documents, optionsOf(args, ['documents']));
    case 'updateOne':
      return collection.updateOne(args.filter, args.update, optionsOf(args, ['filter', 'update']));
    case 'updateMany':
      return collection.updateMany(args.filter, args.update, optionsOf(args, ['filter', 'update']));
    case 'replaceOne':
      return collection.replaceOne(args.filter, args.replacement, optionsOf(args, ['filter', 'replacement']));
    case 'deleteOne':
      return collection.deleteOne(args.filter, optionsOf(args, ['filter']));
    case 'deleteMany':
      return collection.deleteMany(args.filter, optionsOf(args, ['filter']));
    case 'findOneAndUpdate':
      return collection.findOneAndUpdate(args.filter, args.update, optionsOf(args, ['filter', 'update']));
    case 'findOneAndReplace':
      return collection.findOneAndReplace(args.filter, args.replacement, optionsOf(args, ['filter', 'replacement']));
    case 'findOneAndDelete':
      return collection.findOneAndDelete(args.filter, optionsOf(args, ['filter']));
    case 'countDocuments':
      return collection.countDocuments(args.filter, optionsOf(args, ['filter']));
    case 'estimatedDocumentCount':
      return collection.estimatedDocumentCount(optionsOf(args, []));
    case 'distinct':
      return collection.distinct(args.fieldName, args.filter, optionsOf(args, ['fieldName', 'filter']));
    case 'aggregate':
      return collection.aggregate(args.pipeline, optionsOf(args, ['pipeline'])).toArray();
    case 'bulkWrite':
      return collection.bulkWrite(args.requests, optionsOf(args, ['requests']));
    default:
      throw new UnsupportedFeature(`operation ${operation.name}`);
  }
}

/** Shapes driver results like the unified format's result objects (BulkWriteResult fields). */
function normalise(result: unknown): unknown {
  if (result && typeof result === 'object' && 'insertedCount' in result && 'upsertedIds' in result) {
    const bulk = result as Document;
    return { ...bulk, insertedIds: bulk.insertedIds, upsertedIds: bulk.upsertedIds };
  }
  return result;
}

const ITERABLE_RESULTS = new Set(['find', 'aggregate']);

function checkError(expected: Document, error: unknown): string | null {
  if (expected.isError === false) return `unexpected error ${String(error)}`;
  const server = error instanceof MongoServerError ? error : undefined;
  if (expected.isClientError === true && server) return `expected a client error, got server error ${server.message}`;
  if (expected.isClientError === false && !server) return `expected a server error, got ${String(error)}`;
  if (expected.errorCode !== undefined && server?.code !== expected.errorCode) return `expected error code ${expected.errorCode}, got ${server?.code}`;
  if (expected.errorCodeName !== undefined && server?.codeName !== expected.errorCodeName) return `expected ${expected.errorCodeName}, got ${server?.codeName}`;
  if (expected.errorContains !== undefined && !String((error as Error).message).toLowerCase().includes(String(expected.errorContains).toLowerCase())) {
    return `expected error containing "${expected.errorContains}", got "${(error as Error).message}"`;
  }
  if (expected.errorLabelsContain || expected.errorLabelsOmit || expected.errorResponse || expected.writeErrors || expected.writeConcernErrors) {
    throw new UnsupportedFeature('error labels/response assertions');
  }
  if (expected.expectResult !== undefined) {
    if (!(error instanceof MongoBulkWriteError)) return 'expected a bulk write error carrying a partial result';
    return unifiedMatch(expected.expectResult, normalise(error.result), true);
  }
  return null;
}

/** Runs one spec test; unsupported features make it "skipped" with the feature named. */
export async function runSpecTest(client: MongoClient, file: SpecFile, test: SpecTest): Promise<TestOutcome> {
  try {
    const entities = buildEntities(client, file);
    await resetData(client, file);
    for (const operation of test.operations) {
      let result: unknown;
      let error: unknown;
      try {
        result = normalise(await execute(operation, entities));
      } catch (caught) {
        if (caught instanceof UnsupportedFeature) throw caught;
        error = caught;
      }
      if (operation.expectError) {
        if (error === undefined) return { status: 'failed', reason: `${operation.name}: expected an error, got ${JSON.stringify(result)}` };
        const problem = checkError(operation.expectError, error);
        if (problem) return { status: 'failed', reason: `${operation.name}: ${problem}` };
        continue;
      }
      if (error !== undefined) return { status: 'failed', reason: `${operation.name}: ${(error as Error).message}` };
      if (operation.expectResult !== undefined) {
        const iterable = ITERABLE_RESULTS.has(operation.name) && Array.isArray(operation.expectResult);
        const problem = iterable
          ? (operation.expectResult as unknown[]).length !== (result as unknown[]).length
            ? `expected ${(operation.expectResult as unknown[]).length} documents, got ${(result as unknown[]).length}`
            : (operation.expectResult as unknown[]).map((doc, i) => unifiedMatch(doc, (result as unknown[])[i], true, `$[${i}]`)).find(Boolean) ?? null
          : unifiedMatch(operation.expectResult, result, true);
        if (problem) return { status: 'failed', reason: `${operation.name}: ${problem}` };
      }
    }
    for (const outcome of test.outcome ?? []) {
      const documents = await client.db(outcome.databaseName).collection(outcome.collectionName).find({}, { sort: { _id: 1 } }).toArray();
      const problem = unifiedMatch(outcome.documents, documents, false, `outcome ${outcome.collectionName}`);
      if (problem) return { status: 'failed', reason: problem };
    }
    return { status: 'passed' };
  } catch (error) {
    if (error instanceof UnsupportedFeature) return { status: 'skipped', reason: `uses ${error.message}` };
    return { status: 'failed', reason: (error as Error).message };
  }
}
