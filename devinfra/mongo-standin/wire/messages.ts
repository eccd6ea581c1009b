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

/** Splits a byte stream into whole messages: returns those complete and the bytes left over. */
export function takeMessages(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const length = buffer.readInt32LE(offset);
    if (length < HEADER_BYTES || length > 48_000_000) throw new Error(`invalid message length ${length}`);
    if (buffer.length - offset < length) break;
    messages.push(buffer.subarray(offset, offset + length));
    offset += length;
  }
  return { messages, rest: buffer.subarray(offset) };
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
