import { Long } from 'bson';
import { cursorNotFound } from '../errors';
import type { Catalog } from '../engine/catalog';
import type { Doc } from '../engine/values';

export interface OpenCursor {
  namespace: string;
  documents: Doc[];
  position: number;
}

/** Server-side cursors: the rest of a result set, handed out batch by batch with getMore. */
export class CursorStore {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = 1n;

  /** The reply's `cursor` field for a result set; keeps a cursor open when more remains. */
  open(namespace: string, documents: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const size = batchSize && batchSize > 0 ? batchSize : 101;
    const firstBatch = documents.slice(0, size);
    if (singleBatch || documents.length <= size) return { firstBatch, id: Long.ZERO, ns: namespace };
    const id = this.nextId++;
    this.cursors.set(id.toString(), { namespace, documents, position: size });
    return { firstBatch, id: Long.fromBigInt(id), ns: namespace };
  }

  more(id: Long | number | bigint, batchSize: number | undefined): Doc {
    const key = BigInt(typeof id === 'object' ? id.toString() : id).toString();
    const cursor = this.cursors.get(key);
    if (!cursor) throw cursorNotFound(key);
    const end = batchSize && batchSize > 0 ? cursor.position + batchSize : cursor.documents.length;
    const nextBatch = cursor.documents.slice(cursor.position, end);
    cursor.position = Math.min(end, cursor.documents.length);
    const exhausted = cursor.position >= cursor.documents.length;
    if (exhausted) this.cursors.delete(key);
    return { nextBatch, id: exhausted ? Long.ZERO : Long.fromString(key), ns: cursor.namespace };
  }

  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const key = String(id);
      (this.cursors.delete(key) ? killed : notFound).push(Long.fromString(key));
    }
    return { killed, notFound };
  }
}

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorStore;
  database: string;
  connectionId: number;
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc;
