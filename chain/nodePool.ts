import { Client } from 'dsteem';
import { ChainRpcError, NodeUnreachable, mapRpcError } from './errors';

/** Health record of one configured node. */
export interface NodeHealth {
  url: string;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
}

export interface ChainLogger {
  warn(details: object, message: string): void;
  info?(details: object, message: string): void;
}

export interface NodePoolOptions {
  nodes: string[];
  chainId: string;
  addressPrefix: string;
  /** Budget for one node on a read call, including dsteem's own retries of network errors. */
  timeoutMs: number;
  /** Budget for one node on a broadcast; broadcast_transaction_synchronous waits for a block. */
  broadcastTimeoutMs: number;
  /** How long a failed node stays at the back of the queue before it is tried in order again. */
  unhealthyCooldownMs: number;
  clock: () => number;
  logger?: ChainLogger;
}

interface PooledNode {
  client: Client;
  health: NodeHealth;
}

class NodeTimeout extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NodeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** dsteem throws a VError named RPCError (info = `error.data`) when the node answered with an error. */
function rpcErrorData(error: unknown): { code?: unknown; name?: unknown } | null {
  if (error instanceof Error && error.name === 'RPCError') {
    return ((error as { jse_info?: { code?: unknown; name?: unknown } }).jse_info ?? {}) as { code?: unknown; name?: unknown };
  }
  return null;
}

/**
 * One dsteem Client per node, tried in health order. dsteem retries network errors on one URL until
 * its timeout, so each client gets a short timeout and we move on to the next node afterwards.
 * A JSON-RPC error means the node answered: it is never failed over (another node would only
 * repeat it, and re-sending a broadcast elsewhere must not hide the answer).
 */
export class NodePool {
  private readonly pooled: PooledNode[];

  constructor(private readonly options: NodePoolOptions) {
    if (options.nodes.length === 0) throw new Error('at least one Steem node URL is required');
    this.pooled = options.nodes.map((url) => ({
      client: new Client(url, {
        chainId: options.chainId,
        addressPrefix: options.addressPrefix,
        timeout: options.timeoutMs,
        // dsteem's default backoff grows to seconds; inside a short per-node budget retry quickly.
        backoff: (tries: number) => Math.min(50 * (tries + 1), 250),
      }),
      health: { url, consecutiveFailures: 0, lastError: null, lastErrorAt: null, lastSuccessAt: null },
    }));
  }

  health(): NodeHealth[] {
    return this.pooled.map((node) => ({ ...node.health }));
  }

  /** Healthy nodes in configured order, then failed nodes whose cooldown is over, then the rest. */
  private ordered(): PooledNode[] {
    const now = this.options.clock();
    const healthy = this.pooled.filter((n) => n.health.consecutiveFailures === 0);
    const failed = this.pooled
      .filter((n) => n.health.consecutiveFailures > 0)
      .sort((a, b) => (a.health.lastErrorAt ?? 0) - (b.health.lastErrorAt ?? 0));
    const cooled = failed.filter((n) => now - (n.health.lastErrorAt ?? 0) >= this.options.unhealthyCooldownMs);
    const cooling = failed.filter((n) => !cooled.includes(n));
    return [...healthy, ...cooled, ...cooling];
  }

  async call<T>(api: string, method: string, params: unknown[], kind: 'read' | 'broadcast' = 'read'): Promise<T> {
    const failures: { node: string; error: string }[] = [];
    const budget = kind === 'broadcast' ? this.options.broadcastTimeoutMs : this.options.timeoutMs;
    for (const node of this.ordered()) {
      try {
        // dsteem's own retry loop only checks its timeout between attempts; the deadline bounds a hung socket.
        const result = await withDeadline(node.client.call(api, method, params) as Promise<T>, budget + 250);
        this.recordSuccess(node);
        return result;
      } catch (error) {
        const data = rpcErrorData(error);
        if (data) {
          this.recordSuccess(node);
          throw mapRpcError((error as Error).message, data, node.health.url);
        }
        if (error instanceof ChainRpcError) throw error;
        const text = error instanceof Error ? error.message : String(error);
        this.recordFailure(node, text);
        failures.push({ node: node.health.url, error: text });
        this.options.logger?.warn({ node: node.health.url, method, error: text }, 'Steem node failed; trying the next one');
      }
    }
    throw new NodeUnreachable(failures);
  }

  private recordSuccess(node: PooledNode): void {
    node.health.consecutiveFailures = 0;
    node.health.lastSuccessAt = this.options.clock();
  }

  private recordFailure(node: PooledNode, error: string): void {
    node.health.consecutiveFailures += 1;
    node.health.lastError = error;
    node.health.lastErrorAt = this.options.clock();
  }
}
