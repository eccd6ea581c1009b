import type { HistoryItemJson } from './types';

export interface HistoryEntry {
  seq: number;
  trxId: string;
  block: number;
  trxInBlock: number;
  opInTrx: number;
  virtualOp: number;
  timestamp: string;
  op: [string, Record<string, unknown>];
}

export type HistoryPageFetcher = (account: string, start: number, limit: number) => Promise<HistoryEntry[]>;

export function toHistoryEntry([seq, item]: [number, HistoryItemJson]): HistoryEntry {
  return {
    seq,
    trxId: item.trx_id,
    block: item.block,
    trxInBlock: item.trx_in_block,
    opInTrx: item.op_in_trx,
    virtualOp: item.virtual_op,
    timestamp: item.timestamp,
    op: item.op,
  };
}

/**
 * Walks an account's whole history from the newest entry back to `sinceSeq`, one page at a time,
 * yielding entries newest first. Steem's rules shape the paging: `start = -1` is the newest entry,
 * a page returns sequences start − limit … start (limit + 1 entries), and start ≥ limit is asserted.
 */
export async function* scanAccountHistory(
  fetchPage: HistoryPageFetcher,
  account: string,
  { pageSize = 1000, sinceSeq = 0 }: { pageSize?: number; sinceSeq?: number } = {},
): AsyncGenerator<HistoryEntry> {
  let start = -1;
  let limit = pageSize;
  for (;;) {
    const page = await fetchPage(account, start, limit);
    if (page.length === 0) return;
    const newestFirst = [...page].sort((a, b) => b.seq - a.seq);
    for (const entry of newestFirst) {
      if (start !== -1 && entry.seq > start) continue;
      if (entry.seq < sinceSeq) return;
      yield entry;
    }
    const oldest = newestFirst[newestFirst.length - 1].seq;
    if (oldest <= sinceSeq || oldest === 0) return;
    start = oldest - 1;
    limit = Math.min(pageSize, start);
  }
}
