import { BSON, type Document } from 'bson';

/** MongoDB wire protocol opcodes the stand-in speaks. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

export interface IncomingMessage {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG kind-1 document sequences folded in as arrays. */
  command: Document;
  /** OP_MSG moreToCome: the client expects no reply (unacknowledged writes). */
  moreToCome: boolean;
}

const DESERIALIZE_OPTIONS = { promoteValues: true, promoteBuffers: false } as const;

/**
 * Splits a connection's byte stream into whole messages. Chunks are kept as they arrive and joined
 * once a message is complete: joining on every chunk made a large message (a 3 MB insertMany comes
 * in ~50 chunks) cost a copy per chunk of everything before it.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private size = 0;

  /** Adds a chunk; returns the messages it completes. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const messages: Buffer[] = [];
    while (this.size >= 4) {
      const length = (this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.joined()).readInt32LE(0);
      if (length < HEADER_BYTES || length > 48_000_000) throw new Error(`invalid message length ${length}`);
      if (this.size < length) break;
      const buffer = this.joined();
      messages.push(buffer.subarray(0, length));
      const rest = buffer.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
    }
    return messages;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }
}

export function parseMessage(message: Buffer): IncomingMessage {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(message, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(message, requestId);
  throw new Error(`unsupported opcode ${opCode}`);
}

function parseOpMsg(message: Buffer, requestId: number): IncomingMessage {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message[offset]!;
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      command = BSON.deserialize(message.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      let cursor = offset + 4;
      const nameEnd = message.indexOf(0, cursor);
      const identifier = message.toString('utf8', cursor, nameEnd);
      cursor = nameEnd + 1;
      const documents: Document[] = [];
      while (cursor < sectionEnd) {
        const docSize = message.readInt32LE(cursor);
        documents.push(BSON.deserialize(message.subarray(cursor, cursor + docSize), DESERIALIZE_OPTIONS));
        cursor += docSize;
      }
      sequences[identifier] = documents;
      offset = sectionEnd;
    } else {
      throw new Error(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  for (const [identifier, documents] of Object.entries(sequences)) command[identifier] = documents;
  return { requestId, opCode: OP_MSG, command, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

/** Legacy OP_QUERY, which drivers still use for the first `hello` of a connection. */
function parseOpQuery(message: Buffer, requestId: number): IncomingMessage {
  let offset = HEADER_BYTES + 4;
  const nameEnd = message.indexOf(0, offset);
  const namespace = message.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(offset);
  let query = BSON.deserialize(message.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  if (query.$query) query = query.$query as Document;
  const database = namespace.split('.')[0] ?? 'admin';
  return { requestId, opCode: OP_QUERY, command: { ...query, $db: database }, moreToCome: false };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

let nextResponseId = 1;

export function encodeReply(to: IncomingMessage, reply: Document): Buffer {
  const body = BSON.serialize(reply);
  const responseId = nextResponseId++;
  if (to.opCode === OP_QUERY) {
    const fields = Buffer.alloc(20);
    fields.writeInt32LE(0, 0); // responseFlags
    fields.writeBigInt64LE(0n, 4); // cursorID
    fields.writeInt32LE(0, 12); // startingFrom
    fields.writeInt32LE(1, 16); // numberReturned
    return Buffer.concat([header(HEADER_BYTES + 20 + body.length, responseId, to.requestId, OP_REPLY), fields, body]);
  }
  const flagsAndKind = Buffer.alloc(5);
  flagsAndKind.writeUInt32LE(0, 0);
  flagsAndKind.writeUInt8(0, 4);
  return Buffer.concat([header(HEADER_BYTES + 5 + body.length, responseId, to.requestId, OP_MSG), flagsAndKind, body]);
}
