/** The scan stages (IXSCAN/COLLSCAN, with index names) anywhere in an explain() winning plan. */
export function scanStages(explained: unknown): { stage: string; indexName?: string }[] {
  return scansWithKeys(explained).map(({ stage, indexName }) => ({ stage, indexName }));
}

/** The same scan stages, each with its index's key pattern. */
export function scansWithKeys(explained: unknown): { stage: string; indexName?: string; keyPattern?: Record<string, unknown> }[] {
  const found: { stage: string; indexName?: string; keyPattern?: Record<string, unknown> }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.stage === 'IXSCAN' || record.stage === 'COLLSCAN' || record.stage === 'IDHACK' || record.stage === 'EXPRESS_IXSCAN') {
      found.push({ stage: String(record.stage), indexName: record.indexName as string | undefined, keyPattern: record.keyPattern as Record<string, unknown> | undefined });
    }
    for (const value of Object.values(record)) visit(value);
  };
  const planner = (explained as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner;
  visit(planner?.winningPlan ?? explained);
  return found;
}

/** Whether the winning plan sorts in memory (a blocking SORT stage) rather than reading in index order. */
export function sortsInMemory(explained: unknown): boolean {
  let found = false;
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.stage === 'SORT') found = true;
    for (const value of Object.values(record)) visit(value);
  };
  visit((explained as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan ?? explained);
  return found;
}
