import { BSON, ObjectId } from 'bson';
import { CommandError, DuplicateKeyError, indexNotFound, indexOptionsConflict } from '../errors';
import { SecondaryIndex, type IndexSpec } from './secondaryIndex';
import { checkNewTextIndex, type TextIndexSpec } from './textIndex';
import { hashKey, type Doc } from './values';

/** A deep copy that keeps BSON types (ObjectId, Date, Long, ...). */
export function cloneDocument<T extends Doc>(doc: T): T {
  return BSON.deserialize(BSON.serialize(doc), { promoteValues: true }) as T;
}

const EARLIEST_DATE = new Date(-8.64e15);

export function documentKey(id: unknown): string {
  return hashKey(id);
}

/**
 * A collection: documents by _id plus its indexes. Every write checks all unique indexes before it
 * changes anything, so a violating write leaves the collection as it was.
 */
export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, SecondaryIndex>();
  /** The collection's text index (one at most, as on mongod); kept apart from the sorted indexes. */
  textIndex?: TextIndexSpec;

  constructor(
    readonly database: string,
    readonly name: string,
  ) {
    this.indexes.set('_id_', new SecondaryIndex({ name: '_id_', key: { _id: 1 }, unique: true }));
  }

  get namespace(): string {
    return `${this.database}.${this.name}`;
  }

  /** Inserts a document (adding an ObjectId _id first when it has none); returns the stored document. */
  insert(input: Doc): Doc {
    const doc = input._id === undefined ? { _id: new ObjectId(), ...input } : input;
    const key = documentKey(doc._id);
    this.checkUnique(doc, undefined);
    this.docs.set(key, doc);
    for (const index of this.indexes.values()) index.add(key, doc);
    return doc;
  }

  /** Replaces the stored document with `next` (same _id). */
  replace(current: Doc, next: Doc): void {
    const key = documentKey(current._id);
    this.checkUnique(next, key, current);
    this.docs.set(key, next);
    for (const index of this.indexes.values()) index.update(key, current, next);
  }

  delete(doc: Doc): void {
    const key = documentKey(doc._id);
    for (const index of this.indexes.values()) index.remove(key, doc);
    this.docs.delete(key);
  }

  private checkUnique(doc: Doc, ignoreKey: string | undefined, previous?: Doc): void {
    for (const index of this.indexes.values()) {
      if (!index.spec.unique) continue;
      if (previous && !index.keysChange(previous, doc)) continue; // it already holds these keys
      const conflict = index.conflictingKey(index.keysOf(doc), ignoreKey);
      if (conflict) {
        const keyValue = Object.fromEntries(index.fields.map((field, i) => [field, conflict[i] === undefined ? null : conflict[i]]));
        throw new DuplicateKeyError(this.namespace, index.spec.name, index.spec.key, keyValue);
      }
    }
  }

  /** Creates the text index (a no-op for an identical one; a second, different one is refused). */
  createTextIndex(spec: TextIndexSpec): boolean {
    if (this.indexes.has(spec.name)) throw indexOptionsConflict(`An existing index has the same name as the requested index: ${spec.name}`);
    if (!checkNewTextIndex(this.textIndex, spec)) return false;
    this.textIndex = spec;
    return true;
  }

  /** Creates an index (a no-op for an identical one); refuses when existing data breaks uniqueness. */
  createIndex(spec: IndexSpec): boolean {
    if (this.textIndex?.name === spec.name) throw indexOptionsConflict(`An existing index has the same name as the requested index: ${spec.name}`);
    const existing = this.indexes.get(spec.name) ?? [...this.indexes.values()].find((i) => JSON.stringify(i.spec.key) === JSON.stringify(spec.key));
    if (existing) {
      const same = JSON.stringify(existing.spec.key) === JSON.stringify(spec.key) && !!existing.spec.unique === !!spec.unique && existing.spec.name === spec.name;
      if (same) return false;
      throw indexOptionsConflict(`An existing index has the same name or key as the requested index: ${existing.spec.name}`);
    }
    const index = new SecondaryIndex(spec);
    for (const [key, doc] of this.docs) {
      if (spec.unique) {
        const conflict = index.conflictingKey(index.keysOf(doc), key);
        if (conflict) {
          const keyValue = Object.fromEntries(index.fields.map((field, i) => [field, conflict[i] ?? null]));
          throw new DuplicateKeyError(this.namespace, spec.name, spec.key, keyValue);
        }
      }
      index.add(key, doc);
    }
    this.indexes.set(spec.name, index);
    return true;
  }

  /**
   * What mongod's TTL monitor does on each pass: deletes the documents whose date in a TTL index's
   * field (the earliest, for an array of dates) is at least `expireAfterSeconds` before `now`.
   * Documents whose field holds no date never expire. Returns how many were deleted.
   */
  removeExpired(now: number): number {
    let removed = 0;
    for (const index of [...this.indexes.values()]) {
      const seconds = index.spec.expireAfterSeconds;
      if (seconds === undefined || index.fields.length !== 1) continue; // mongod ignores it on compound indexes
      // Within [earliest date, now - seconds] of the index's order: exactly the expired dates, no other type.
      const range = { lower: { value: EARLIEST_DATE, inclusive: true }, upper: { value: new Date(now - seconds * 1000), inclusive: true } };
      const expired = new Set(index.idsWithPrefix([], false, range));
      for (const id of expired) {
        const doc = this.docs.get(id);
        if (!doc) continue;
        this.delete(doc);
        removed += 1;
      }
    }
    return removed;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new CommandError(72, 'InvalidOptions', 'cannot drop _id index');
    if (this.textIndex?.name === name) {
      this.textIndex = undefined;
      return;
    }
    if (!this.indexes.delete(name)) throw indexNotFound(`index not found with name [${name}]`);
  }

  dropAllIndexes(): void {
    this.textIndex = undefined;
    for (const name of [...this.indexes.keys()]) if (name !== '_id_') this.indexes.delete(name);
  }
}
