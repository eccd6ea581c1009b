import { Long } from 'bson';
import { CommandError, illegalOperation, namespaceNotFound } from '../errors';
import { explainPlan, type SortSpec } from '../engine/planner';
import type { IndexSpec } from '../engine/secondaryIndex';
import { describeTextIndex, isTextKey, textIndexSpec } from '../engine/textIndex';
import type { Doc } from '../engine/values';
import type { CommandHandler } from './context';

export const MAX_WIRE_VERSION = 21; // MongoDB 7.0

export const hello: CommandHandler = (_command, context) => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: context.connectionId,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

export const buildInfo: CommandHandler = () => ({
  version: '7.0.0-inkwell-standin',
  versionArray: [7, 0, 0, 0],
  gitVersion: 'inkwell-offline-standin',
  bits: 64,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['inkwell-standin-memory'],
  ok: 1,
});

export const ok: CommandHandler = () => ({ ok: 1 });

export const getParameter: CommandHandler = (command) => ({
  ...(command.featureCompatibilityVersion ? { featureCompatibilityVersion: { version: '7.0' } } : {}),
  ok: 1,
});

export const create: CommandHandler = (command, context) => {
  const name = String(command.create);
  const { created } = context.catalog.getOrCreate(context.database, name);
  if (!created) throw new CommandError(48, 'NamespaceExists', `Collection ${context.database}.${name} already exists.`);
  return { ok: 1 };
};

export const drop: CommandHandler = (command, context) => {
  const name = String(command.drop);
  if (!context.catalog.drop(context.database, name)) throw namespaceNotFound();
  return { ns: `${context.database}.${name}`, nIndexesWas: 1, ok: 1 };
};

export const dropDatabase: CommandHandler = (_command, context) => {
  context.catalog.dropDatabase(context.database);
  return { dropped: context.database, ok: 1 };
};

export const listCollections: CommandHandler = (command, context) => {
  const filter = (command.filter as Doc) ?? {};
  const infos = context.catalog
    .collections(context.database)
    .filter((collection) => filter.name === undefined || filter.name === collection.name)
    .map((collection) =>
      command.nameOnly ? { name: collection.name, type: 'collection' } : { name: collection.name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } },
    );
  return { cursor: context.cursors.open(`${context.database}.$cmd.listCollections`, infos, undefined), ok: 1 };
};

export const listDatabases: CommandHandler = (command, context) => {
  const databases = context.catalog.databaseNames().map((name) => ({ name, sizeOnDisk: 0, empty: context.catalog.collections(name).length === 0 }));
  return command.nameOnly ? { databases: databases.map(({ name }) => ({ name })), ok: 1 } : { databases, totalSize: 0, ok: 1 };
};

export const createIndexes: CommandHandler = (command, context) => {
  const { collection, created } = context.catalog.getOrCreate(context.database, String(command.createIndexes));
  const indexCount = () => collection.indexes.size + (collection.textIndex ? 1 : 0);
  const before = indexCount();
  for (const spec of (command.indexes as IndexSpec[]) ?? []) {
    if (!spec.key || typeof spec.key !== 'object' || Object.keys(spec.key).length === 0) throw new CommandError(67, 'CannotCreateIndex', 'index key pattern must not be empty');
    if (isTextKey(spec.key)) {
      collection.createTextIndex(textIndexSpec(spec as unknown as Doc));
      continue;
    }
    const name = spec.name ?? Object.entries(spec.key).map(([field, dir]) => `${field}_${dir}`).join('_');
    collection.createIndex({ ...spec, name });
  }
  return { createdCollectionAutomatically: created, numIndexesBefore: before, numIndexesAfter: indexCount(), ok: 1 };
};

export const listIndexes: CommandHandler = (command, context) => {
  const name = String(command.listIndexes);
  const collection = context.catalog.get(context.database, name);
  if (!collection) throw namespaceNotFound(`ns does not exist: ${context.database}.${name}`);
  const specs = [...collection.indexes.values()].map((index) => index.describe());
  if (collection.textIndex) specs.push(describeTextIndex(collection.textIndex));
  return { cursor: context.cursors.open(`${context.database}.${name}`, specs, undefined), ok: 1 };
};

export const dropIndexes: CommandHandler = (command, context) => {
  const name = String(command.dropIndexes);
  const collection = context.catalog.get(context.database, name);
  if (!collection) throw namespaceNotFound(`ns not found ${context.database}.${name}`);
  const before = collection.indexes.size + (collection.textIndex ? 1 : 0);
  const target = command.index;
  if (target === '*') collection.dropAllIndexes();
  else if (typeof target === 'string') collection.dropIndex(target);
  else if (Array.isArray(target)) for (const indexName of target) collection.dropIndex(String(indexName));
  else {
    const match = [...collection.indexes.values()].find((index) => JSON.stringify(index.spec.key) === JSON.stringify(target));
    if (!match) throw new CommandError(27, 'IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    collection.dropIndex(match.spec.name);
  }
  return { nIndexesWas: before, ok: 1 };
};

export const explain: CommandHandler = (command, context) => {
  const inner = command.explain as Doc;
  const verb = Object.keys(inner)[0];
  let collectionName: string;
  let filter: Doc = {};
  let sort: SortSpec | undefined;
  if (verb === 'find') {
    collectionName = String(inner.find);
    filter = (inner.filter as Doc) ?? {};
    sort = inner.sort as SortSpec | undefined;
  } else if (verb === 'count') {
    collectionName = String(inner.count);
    filter = (inner.query as Doc) ?? {};
  } else if (verb === 'aggregate') {
    collectionName = String(inner.aggregate);
    const pipeline = (inner.pipeline as Doc[]) ?? [];
    if (pipeline[0] && '$match' in pipeline[0]) filter = pipeline[0].$match as Doc;
    if (pipeline[1] && '$sort' in pipeline[1]) sort = pipeline[1].$sort as SortSpec;
  } else {
    throw new CommandError(2, 'BadValue', `explain is not supported for ${verb} by the offline stand-in`);
  }
  const { collection } = context.catalog.getOrCreate(context.database, collectionName);
  return { queryPlanner: explainPlan(collection, filter, sort), explainVersion: '1', command: inner, serverInfo: { host: 'inkwell-standin', version: '7.0.0' }, ok: 1 };
};

/** Multi-document transactions need a replica set; a standalone mongod refuses them just so. */
export function refuseTransactions(command: Doc): void {
  if (command.txnNumber !== undefined || command.startTransaction !== undefined || command.autocommit !== undefined) {
    throw illegalOperation('Transaction numbers are only allowed on a replica set member or mongos');
  }
}

export { Long };
