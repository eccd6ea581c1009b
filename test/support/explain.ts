/** The scan stages (IXSCAN/COLLSCAN, with index names) anywhere in an explain() winning plan. */
export function scanStages(explained: unknown): { stage: string; indexName?: string }[] {
  const found: { stage: string; indexName?: string }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.stage === 'IXSCAN' || record.stage === 'COLLSCAN' || record.stage === 'IDHACK' || record.stage === 'EXPRESS_IXSCAN') {
      found.push({ stage: String(record.stage), indexName: record.indexName as string | undefined });
    }
    for (const value of Object.values(record)) visit(value);
  };
  const planner = (explained as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner;
  visit(planner?.winningPlan ?? explained);
  return found;
}
