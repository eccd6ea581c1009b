import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dispatch, type DevnetControl } from './api';
import { FC, FcError, JSON_RPC_INVALID_REQUEST, JSON_RPC_PARSE_ERROR, JSON_RPC_SERVER_ERROR, toJsonRpcError } from './fcErrors';
import { chainTime } from './ledger';

/** Failure modes a test can switch on to exercise the chain client's retry and recovery paths. */
export interface DevnetFaults {
  /** Delay before each request is handled. */
  latencyMs: number;
  /** Probability (0..1) that a broadcast is applied but its HTTP response is lost (socket destroyed). */
  dropResponseAfterApply: number;
  /** Probability (0..1) of answering HTTP 503 before doing anything, like an overloaded API gateway. */
  errorRate: number;
  /** Refuse every request (the socket is destroyed without an answer). */
  down: boolean;
}

export const NO_FAULTS: DevnetFaults = { latencyMs: 0, dropResponseAfterApply: 0, errorRate: 0, down: false };

const BROADCAST_METHODS = new Set(['broadcast_transaction', 'broadcast_transaction_synchronous']);

interface RpcRequest {
  id?: unknown;
  jsonrpc?: unknown;
  method?: unknown;
  params?: unknown;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** `call` carries [api, method, params]; `api.method` carries params directly. */
function route(request: RpcRequest): { api: string; method: string; params: unknown } {
  if (request.method === 'call') {
    const params = request.params;
    if (!Array.isArray(params) || typeof params[0] !== 'string' || typeof params[1] !== 'string') {
      throw new FcError(FC.assert, 'params.size() == 2 || params.size() == 3: call requires 2 or 3 arguments', {}, JSON_RPC_INVALID_REQUEST);
    }
    return { api: params[0], method: params[1], params: params[2] ?? [] };
  }
  if (typeof request.method === 'string' && request.method.includes('.')) {
    const [api, method] = request.method.split('.', 2);
    return { api, method, params: request.params ?? [] };
  }
  throw new FcError(FC.assert, 'false: A member "method" does not exist', {}, JSON_RPC_INVALID_REQUEST);
}

/** A `devnet_api` call (`call` with api `devnet_api`, or `devnet_api.<method>`). */
function isControlCall(request: RpcRequest): boolean {
  if (request.method === 'call') return Array.isArray(request.params) && request.params[0] === 'devnet_api';
  return typeof request.method === 'string' && request.method.startsWith('devnet_api.');
}

export interface RpcServerOptions {
  /** Serve `devnet_api`; see `DevnetOptions.controlApi`. */
  controlApi: boolean;
}

export function createRpcServer(control: DevnetControl, faults: () => DevnetFaults, random: () => number = Math.random, options: RpcServerOptions = { controlApi: false }): Server {
  const now = () => chainTime(control.ledger.head.timestamp);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    let parsed: RpcRequest | undefined;
    try {
      parsed = JSON.parse(body) as RpcRequest;
    } catch {
      parsed = undefined;
    }
    // Injected faults stand for the node failing; the control API that sets them is exempt, so a test
    // (or a developer) can always clear them, `down` included.
    const current = faults();
    if (!(options.controlApi && parsed && isControlCall(parsed))) {
      if (current.down) {
        request.socket.destroy();
        return;
      }
      if (current.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, current.latencyMs));
      if (current.errorRate > 0 && random() < current.errorRate) {
        response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'devnet: transient failure (injected)' }));
        return;
      }
    }
    if (!parsed) {
      const error = new FcError(FC.exception, 'Parse Error', {}, JSON_RPC_PARSE_ERROR);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: toJsonRpcError(error, now()) }));
      return;
    }
    let payload: Record<string, unknown>;
    let dropAfterApply = false;
    try {
      if (parsed.jsonrpc !== '2.0') throw new FcError(FC.assert, 'false: jsonrpc value is not "2.0"', {}, JSON_RPC_INVALID_REQUEST);
      const { api, method, params } = route(parsed);
      const result = await dispatch(control, api, method, params, options);
      payload = { jsonrpc: '2.0', result, id: parsed.id };
      dropAfterApply = BROADCAST_METHODS.has(method) && current.dropResponseAfterApply > 0 && random() < current.dropResponseAfterApply;
    } catch (error) {
      const fcError = error instanceof FcError ? error : new FcError(FC.exception, String((error as Error)?.message ?? error), {}, JSON_RPC_SERVER_ERROR);
      payload = { jsonrpc: '2.0', error: toJsonRpcError(fcError, now()), id: parsed.id };
    }
    if (dropAfterApply) {
      request.socket.destroy();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  }

  return createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    handle(request, response).catch(() => request.socket.destroy());
  });
}
