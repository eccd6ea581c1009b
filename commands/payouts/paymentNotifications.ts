import type { Types } from 'mongoose';
import { formatSteem } from '../../domain/money';
import { NotificationModel } from '../../models/notification';
import { PaymentModel } from '../../models/payment';

/**
 * A "payout" notification to every Inkwell user a settled transaction paid: what arrived (liquid and
 * power), the transaction and block that carry it (the on-chain receipt), and how many posts it
 * pays for and in which roles. Keyed by payment, so a transaction settled twice after a crash
 * notifies once; one bulk write per transaction.
 */
export async function notifyPaymentsSettled(transaction: Types.ObjectId): Promise<void> {
  const payments = await PaymentModel.find(
    { transaction, status: 'settled', user: { $ne: null } },
    { key: 1, user: 1, batch: 1, liquid: 1, power: 1, txId: 1, blockNum: 1, steemAccount: 1, shares: 1 },
  ).lean();
  if (payments.length === 0) return;
  await NotificationModel.bulkWrite(
    payments.map((payment) => {
      const roles: Record<string, number> = {};
      for (const share of payment.shares) roles[share.role ?? 'author'] = (roles[share.role ?? 'author'] ?? 0) + 1;
      const liquid = BigInt(payment.liquid);
      const power = BigInt(payment.power);
      const dedupeKey = `payout:${payment.key}`;
      return {
        updateOne: {
          filter: { dedupeKey },
          update: {
            $setOnInsert: {
              recipient: payment.user!,
              type: 'payout',
              actor: null,
              article: payment.shares.length === 1 ? (payment.shares[0]!.article ?? null) : null,
              commentId: null,
              dedupeKey,
              data: {
                batch: payment.batch,
                total: formatSteem(liquid + power),
                liquid: formatSteem(liquid),
                power: formatSteem(power),
                steemAccount: payment.steemAccount,
                txId: payment.txId,
                blockNum: payment.blockNum,
                posts: payment.shares.length,
                roles,
              },
            },
          },
          upsert: true,
        },
      };
    }),
    { ordered: false },
  );
}
