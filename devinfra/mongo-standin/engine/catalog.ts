import { Collection } from './collection';

/** All databases and collections of one stand-in server, in memory. */
export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();

  get(database: string, name: string): Collection | undefined {
    return this.databases.get(database)?.get(name);
  }

  /** The collection, created implicitly (as mongod does on first write). */
  getOrCreate(database: string, name: string): { collection: Collection; created: boolean } {
    let collections = this.databases.get(database);
    if (!collections) {
      collections = new Map();
      this.databases.set(database, collections);
    }
    const existing = collections.get(name);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(database, name);
    collections.set(name, collection);
    return { collection, created: true };
  }

  drop(database: string, name: string): boolean {
    return this.databases.get(database)?.delete(name) ?? false;
  }

  dropDatabase(database: string): void {
    this.databases.delete(database);
  }

  collections(database: string): Collection[] {
    return [...(this.databases.get(database)?.values() ?? [])];
  }

  /** One pass of the TTL monitor over every collection; returns how many documents were deleted. */
  removeExpired(now: number): number {
    let removed = 0;
    for (const collections of this.databases.values()) for (const collection of collections.values()) removed += collection.removeExpired(now);
    return removed;
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }
}
