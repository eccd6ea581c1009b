import { PAYOUT_STATE_ID, PayoutStateModel } from '../../models/payoutState';
import type { Logger } from '../../lib/logger';
import type { ReadinessResult } from '../../lib/readiness';

/** Pauses transfers (shared by every worker); logs once, when the state changes. */
export async function pauseTransfers(logger: Logger, reason: string): Promise<void> {
  const before = await PayoutStateModel.findOneAndUpdate(
    { _id: PAYOUT_STATE_ID },
    { $set: { paused: true, reason }, $setOnInsert: { since: new Date() } },
    { upsert: true, returnDocument: 'before' },
  ).lean();
  if (!before?.paused) {
    await PayoutStateModel.updateOne({ _id: PAYOUT_STATE_ID }, { $set: { since: new Date() } });
    logger.warn({ reason }, `payouts paused: ${reason}`);
  }
}

export async function resumeTransfers(logger: Logger): Promise<void> {
  const before = await PayoutStateModel.findOneAndUpdate({ _id: PAYOUT_STATE_ID, paused: true }, { $set: { paused: false, reason: null, since: null } }).lean();
  if (before) logger.info({ pausedSince: before.since }, 'payouts resumed: the treasury covers the queued payouts');
}

export async function transferState(): Promise<{ paused: boolean; reason: string | null; since: Date | null }> {
  const state = await PayoutStateModel.findById(PAYOUT_STATE_ID).lean();
  return { paused: state?.paused ?? false, reason: state?.reason ?? null, since: state?.since ?? null };
}

/** The `payouts` readiness check (the wiring registers it): degraded while transfers are paused. */
export async function payoutReadiness(): Promise<ReadinessResult> {
  const state = await transferState();
  return state.paused ? { ok: false, detail: `paused since ${state.since?.toISOString() ?? 'now'}: ${state.reason ?? ''}` } : { ok: true, detail: 'transfers running' };
}
