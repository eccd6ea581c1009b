import { advanceFund, newRewardFund, type RewardFundState } from '../../domain/rewards';
import type { RewardPolicy } from '../../domain/rewards';
import { REWARD_FUND_ID, RewardFundModel } from '../../models/rewardFund';
import { coalescingLoader } from '../../lib/coalesce';
import { isDuplicateKeyError } from '../duplicateKey';

export interface StoredFund {
  state: RewardFundState;
  version: number;
}

function fromDocument(doc: { rewardBalance: string; recentClaims: string; lastUpdate: number; accruedUntil: number; accrualRemainder: string; version?: number }): StoredFund {
  return {
    state: {
      rewardBalance: BigInt(doc.rewardBalance),
      recentClaims: BigInt(doc.recentClaims),
      lastUpdate: doc.lastUpdate,
      accruedUntil: doc.accruedUntil,
      accrualRemainder: BigInt(doc.accrualRemainder),
    },
    version: doc.version ?? 0,
  };
}

export function fundFields(state: RewardFundState) {
  return {
    rewardBalance: state.rewardBalance.toString(),
    recentClaims: state.recentClaims.toString(),
    lastUpdate: state.lastUpdate,
    accruedUntil: state.accruedUntil,
    accrualRemainder: state.accrualRemainder.toString(),
  };
}

type FundDocument = Parameters<typeof fromDocument>[0];

/** Concurrent reads of the fund (every article presented needs it) share one query. */
const storedFund = coalescingLoader<string, FundDocument>(async () => {
  const doc = await RewardFundModel.findById(REWARD_FUND_ID).lean<FundDocument>();
  return new Map(doc ? [[REWARD_FUND_ID, doc]] : []);
});

/** The stored fund, created on first use with the policy's initial recent claims. */
export async function loadFund(policy: RewardPolicy, now: number): Promise<StoredFund> {
  const existing = await storedFund.load(REWARD_FUND_ID);
  if (existing) return fromDocument(existing);
  try {
    await RewardFundModel.create({ _id: REWARD_FUND_ID, ...fundFields(newRewardFund(policy, now)), version: 0 });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  return fromDocument((await RewardFundModel.findById(REWARD_FUND_ID).lean())!);
}

/** The fund as it stands now (accrued and decayed to `now`), without writing it. */
export async function currentFund(policy: RewardPolicy, now: number): Promise<RewardFundState> {
  const { state } = await loadFund(policy, now);
  return advanceFund(state, now, policy);
}
