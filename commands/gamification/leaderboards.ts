import { ReputationChangeModel } from '../../models/reputationChange';
import { UserModel } from '../../models/user';
import { reputationScore } from '../../domain/reputation';

export type Period = 'day' | 'week' | 'month';

/** The start of the current calendar period (UTC; weeks start on Monday). */
export function periodStart(period: Period, now: Date): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), period === 'month' ? 1 : now.getUTCDate()));
  if (period === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  return start;
}

export interface LeaderboardEntry {
  rank: number;
  username: string;
  value: string;
  reputationScore: number;
}

/** Authors who gained the most reputation this period (aggregated over indexed reputation changes). */
export async function risingLeaderboard(period: Period, now: Date, limit = 100): Promise<LeaderboardEntry[]> {
  const rows = await ReputationChangeModel.aggregate<{ _id: unknown; gained: number }>([
    { $match: { at: { $gte: periodStart(period, now) } } },
    { $group: { _id: '$user', gained: { $sum: '$delta' } } },
    { $match: { gained: { $gt: 0 } } },
    { $sort: { gained: -1, _id: 1 } },
    { $limit: limit },
  ]);
  const users = await UserModel.find({ _id: { $in: rows.map((row) => row._id) } }, { username: 1, reputation: 1 }).lean();
  const byId = new Map(users.map((user) => [user._id.toString(), user]));
  return rows.flatMap((row, i) => {
    const user = byId.get(String(row._id));
    return user ? [{ rank: i + 1, username: user.username, value: BigInt(Math.round(row.gained)).toString(), reputationScore: reputationScore(BigInt(user.reputation ?? '0')) }] : [];
  });
}
