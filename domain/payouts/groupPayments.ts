/**
 * Groups a batch's ledger entries per recipient: each recipient is paid once per batch (one
 * `transfer` for the liquid part, one `transfer_to_vesting` for the power part), however many posts
 * and roles the entries come from. Pure; Σ payments = Σ entries to the unit.
 */
import type { SteemAmount } from '../money/asset';
import type { LedgerRole } from '../rewards';

export interface ShareInput {
  recipient: string;
  postId: string;
  role: LedgerRole;
  liquid: SteemAmount;
  power: SteemAmount;
}

export interface GroupedPayment {
  recipient: string;
  liquid: SteemAmount;
  power: SteemAmount;
  shares: ShareInput[];
}

export function groupPayments(shares: readonly ShareInput[]): GroupedPayment[] {
  const byRecipient = new Map<string, GroupedPayment>();
  for (const share of shares) {
    if (share.liquid < 0n || share.power < 0n) throw new RangeError(`negative share for ${share.recipient} in ${share.postId}`);
    if (share.liquid === 0n && share.power === 0n) continue;
    let payment = byRecipient.get(share.recipient);
    if (!payment) {
      payment = { recipient: share.recipient, liquid: 0n, power: 0n, shares: [] };
      byRecipient.set(share.recipient, payment);
    }
    payment.liquid += share.liquid;
    payment.power += share.power;
    payment.shares.push(share);
  }
  return [...byRecipient.values()].sort((a, b) => (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0));
}
