import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { Types, type Operation, type SignedTransaction, type Transaction } from 'dsteem';

/**
 * Binary serialization with dsteem's own serializer types, so the bytes we hash are the bytes
 * dsteem signs. dsteem exposes the serializers but not a buffer helper, so we borrow the
 * `bytebuffer` instance dsteem itself depends on.
 */
interface ByteBufferLike {
  flip(): ByteBufferLike;
  toBuffer(): ArrayBuffer | Buffer;
}
interface ByteBufferClass {
  new (capacity: number, littleEndian: boolean): ByteBufferLike;
  DEFAULT_CAPACITY: number;
  LITTLE_ENDIAN: boolean;
}
const requireFromDsteem = createRequire(require.resolve('dsteem'));
const ByteBuffer = requireFromDsteem('bytebuffer') as ByteBufferClass;

export type { Operation, SignedTransaction, Transaction };
export { Types as SerializerTypes };
export type Serializer = (buffer: never, value: never) => void;

export function serializeWith<T>(serializer: (buffer: never, value: T) => void, value: T): Buffer {
  const buffer = new ByteBuffer(ByteBuffer.DEFAULT_CAPACITY, ByteBuffer.LITTLE_ENDIAN);
  serializer(buffer as never, value);
  buffer.flip();
  return Buffer.from(buffer.toBuffer() as ArrayBuffer);
}

/** The unsigned transaction as steemd packs it (`fc::raw::pack(transaction)`); signatures are not part of it. */
export function serializeTransaction(transaction: Transaction): Buffer {
  return serializeWith(Types.Transaction as (buffer: never, value: Transaction) => void, transaction);
}

export function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** steemd `transaction::id()`: the first 20 bytes of SHA-256 of the packed unsigned transaction, no chain id. */
export function transactionId(transaction: Transaction): string {
  return sha256(serializeTransaction(transaction)).subarray(0, 20).toString('hex');
}

/** steemd `transaction::sig_digest(chain_id)`: SHA-256(chain id ‖ packed unsigned transaction). */
export function transactionDigest(transaction: Transaction, chainId: Buffer): Buffer {
  return sha256(Buffer.concat([chainId, serializeTransaction(transaction)]));
}

/** dsteem's `Date` serializer format: UTC "YYYY-MM-DDTHH:MM:SS" without a zone suffix. */
export function formatChainTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19);
}

export function parseChainTime(text: string): number {
  return Date.parse(`${text}Z`);
}

export function unsignedPart(transaction: SignedTransaction | Transaction): Transaction {
  const { ref_block_num, ref_block_prefix, expiration, operations, extensions } = transaction;
  return { ref_block_num, ref_block_prefix, expiration, operations, extensions };
}
