import fc from 'fast-check';
import { serializeTransaction, type Transaction } from '../../chain';
import { groupPayments, packTransactions, transactionBytes, type PayablePayment } from '../../domain/payouts';

const payment = (id: string, liquid: bigint, power: bigint, memo = 'inkwell:payout:65f0c0ffee0000000000beef'): PayablePayment => ({ id, to: `acct-${id}`, liquid, power, memo });

describe('groupPayments', () => {
  it('pays each recipient once per batch, summing roles and posts, and skips zero shares', () => {
    const grouped = groupPayments([
      { recipient: 'u:b', postId: 'p1', role: 'author', liquid: 5n, power: 5n },
      { recipient: 'u:a', postId: 'p1', role: 'curator', liquid: 0n, power: 3n },
      { recipient: 'u:b', postId: 'p2', role: 'curator', liquid: 0n, power: 2n },
      { recipient: 'u:c', postId: 'p2', role: 'curator', liquid: 0n, power: 0n },
    ]);
    expect(grouped.map((g) => [g.recipient, g.liquid, g.power, g.shares.length])).toEqual([
      ['u:a', 0n, 3n, 1],
      ['u:b', 5n, 7n, 2],
    ]);
    expect(() => groupPayments([{ recipient: 'x', postId: 'p', role: 'author', liquid: -1n, power: 0n }])).toThrow(RangeError);
  });

  it('conserves every unit and places every share exactly once', () => {
    const share = fc.record({ recipient: fc.constantFrom('u:a', 'u:b', '@c'), postId: fc.constantFrom('p1', 'p2', 'p3'), role: fc.constantFrom('author' as const, 'curator' as const), liquid: fc.bigInt(0n, 10_000n), power: fc.bigInt(0n, 10_000n) });
    fc.assert(
      fc.property(fc.array(share, { maxLength: 60 }), (shares) => {
        const grouped = groupPayments(shares);
        const total = (items: { liquid: bigint; power: bigint }[]) => items.reduce((sum, s) => sum + s.liquid + s.power, 0n);
        expect(total(grouped)).toBe(total(shares));
        expect(grouped.flatMap((g) => g.shares).length).toBe(shares.filter((s) => s.liquid + s.power > 0n).length);
      }),
    );
  });
});

describe('packTransactions', () => {
  it('computes the exact signed size steemd checks', () => {
    for (const payments of [[payment('1', 1234n, 0n)], [payment('2', 0n, 1n)], [payment('3', 1n, 2n, 'inkwell:payout:ünïcödé ✓')], Array.from({ length: 100 }, (_, i) => payment(String(i), 1000n, 7n))]) {
      const [packed] = packTransactions('inkwell-treasury', payments, { maxOperations: 1000, maxBytes: 65280 });
      const unsigned: Transaction = { ref_block_num: 1, ref_block_prefix: 2, expiration: '2026-01-01T00:00:00', operations: packed!.operations, extensions: [] };
      // serializeTransaction packs the unsigned transaction; the signed form adds a count and one 65-byte signature.
      expect(packed!.bytes).toBe(serializeTransaction(unsigned).length + 1 + 65);
      expect(transactionBytes(packed!.operations)).toBe(packed!.bytes);
    }
  });

  it('keeps a payment’s operations together, in order, within both limits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt(0n, 5000n), fc.bigInt(0n, 5000n)), { maxLength: 80 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 400, max: 3000 }), (amounts, maxOperations, maxBytes) => {
        const payments = amounts.map(([liquid, power], i) => payment(String(i), liquid, power));
        const packed = packTransactions('inkwell-treasury', payments, { maxOperations, maxBytes });
        for (const tx of packed) {
          expect(tx.operations.length).toBeLessThanOrEqual(maxOperations);
          expect(tx.bytes).toBeLessThanOrEqual(maxBytes);
        }
        expect(packed.flatMap((tx) => tx.paymentIds)).toEqual(payments.filter((p) => p.liquid + p.power > 0n).map((p) => p.id));
        const operations = packed.flatMap((tx) => tx.operations);
        expect(operations).toHaveLength(payments.reduce((n, p) => n + (p.liquid > 0n ? 1 : 0) + (p.power > 0n ? 1 : 0), 0));
      }),
    );
  });

  it('writes transfers with the memo, power-ups without, and amounts as STEEM assets', () => {
    const [packed] = packTransactions('inkwell-treasury', [payment('1', 1500n, 20n)], { maxOperations: 10, maxBytes: 4096 });
    expect(packed!.operations).toEqual([
      ['transfer', { from: 'inkwell-treasury', to: 'acct-1', amount: '1.500 STEEM', memo: 'inkwell:payout:65f0c0ffee0000000000beef' }],
      ['transfer_to_vesting', { from: 'inkwell-treasury', to: 'acct-1', amount: '0.020 STEEM' }],
    ]);
    expect(() => packTransactions('inkwell-treasury', [payment('1', 1n, 1n)], { maxOperations: 1, maxBytes: 4096 })).toThrow(RangeError);
  });
});
