import type { Types } from 'mongoose';
import { formatSteem } from '../../domain/money';
import { reputationScore } from '../../domain/reputation';
import { ReputationChangeModel } from '../../models/reputationChange';
import { SettlementModel } from '../../models/settlement';
import { UserModel } from '../../models/user';

export type Period = 'day' | 'week' | 'month';
export type Board = 'authors' | 'curators' | 'rising';
export const BOARDS: readonly Board[] = ['authors', 'curators', 'rising'];

const DAY_MS = 86_400_000;

/** The start of the current calendar period (UTC; weeks start on Monday). */
export function periodStart(period: Period, now: Date): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), period === 'month' ? 1 : now.getUTCDate()));
  if (period === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  return start;
}

export function weekEnd(weekStart: Date): Date {
  return new Date(weekStart.getTime() + 7 * DAY_MS);
}

export interface LeaderboardEntry {
  rank: number;
  username: string;
  /** Reputation gained (raw units) on `rising`; STEEM paid (e.g. "12.345 STEEM") on the payout boards. */
  value: string;
  /** On the payout boards: how many settled posts paid the user in the period. */
  posts?: number;
  reputationScore: number;
}

interface Ranked {
  _id: Types.ObjectId;
  value: string;
  posts?: number;
}

async function withUsers(rows: Ranked[]): Promise<LeaderboardEntry[]> {
  const users = await UserModel.find({ _id: { $in: rows.map((row) => row._id) } }, { username: 1, reputation: 1 }).lean();
  const byId = new Map(users.map((user) => [user._id.toString(), user]));
  const entries: LeaderboardEntry[] = [];
  for (const row of rows) {
    const user = byId.get(row._id.toString());
    if (!user) continue;
    entries.push({ rank: entries.length + 1, username: user.username, value: row.value, ...(row.posts === undefined ? {} : { posts: row.posts }), reputationScore: reputationScore(BigInt(user.reputation ?? '0')) });
  }
  return entries;
}

/** Authors who gained the most reputation this period (aggregated over indexed reputation changes). */
export async function risingLeaderboard(period: Period, now: Date, limit = 100): Promise<LeaderboardEntry[]> {
  const rows = await ReputationChangeModel.aggregate<{ _id: Types.ObjectId; gained: number }>([
    { $match: { at: { $gte: periodStart(period, now) } } },
    { $group: { _id: '$user', gained: { $sum: '$delta' } } },
    { $match: { gained: { $gt: 0 } } },
    { $sort: { gained: -1, _id: 1 } },
    { $limit: limit },
  ]);
  return withUsers(rows.map((row) => ({ _id: row._id, value: BigInt(Math.round(row.gained)).toString() })));
}

export interface PayoutTotal {
  user: Types.ObjectId;
  /** In 0.001 STEEM, liquid and power together. */
  amount: bigint;
  posts: number;
}

/**
 * The users paid the most as authors or as curators by the posts settled in [from, to), from the
 * committed settlement ledger (indexed by status and time). Amounts are integer strings in the
 * ledger; they are summed as 64-bit integers, so the totals are exact.
 */
export async function payoutTotals(role: 'author' | 'curator', from: Date, to: Date, limit: number): Promise<PayoutTotal[]> {
  const rows = await SettlementModel.aggregate<{ _id: Types.ObjectId; amount: number | bigint; posts: number }>([
    { $match: { status: 'committed', settledAt: { $gte: from, $lt: to } } },
    { $project: { _id: 0, entries: 1 } },
    { $unwind: '$entries' },
    { $match: { 'entries.role': role, 'entries.user': { $ne: null } } },
    {
      $group: {
        _id: '$entries.user',
        amount: { $sum: { $add: [{ $toLong: '$entries.liquid' }, { $toLong: '$entries.power' }] } },
        posts: { $sum: 1 },
      },
    },
    { $match: { amount: { $gt: 0 } } },
    { $sort: { amount: -1, _id: 1 } },
    { $limit: limit },
  ]);
  return rows.map((row) => ({ user: row._id, amount: BigInt(row.amount), posts: row.posts }));
}

/** `authors` or `curators`: who was paid the most by posts settled this period. */
export async function payoutLeaderboard(board: 'authors' | 'curators', period: Period, now: Date, limit = 100): Promise<LeaderboardEntry[]> {
  const totals = await payoutTotals(board === 'authors' ? 'author' : 'curator', periodStart(period, now), new Date(now.getTime() + 1), limit);
  return withUsers(totals.map((total) => ({ _id: total.user, value: formatSteem(total.amount), posts: total.posts })));
}

export function leaderboard(board: Board, period: Period, now: Date): Promise<LeaderboardEntry[]> {
  return board === 'rising' ? risingLeaderboard(period, now) : payoutLeaderboard(board, period, now);
}
