import net from 'node:net';
import type { Document } from 'bson';
import { commandNotFound, CommandError } from './errors';
import { Catalog } from './engine/catalog';
import { CursorStore, type CommandContext } from './commands/context';
import { refuseTransactions } from './commands/admin';
import { COMMANDS } from './commands/registry';
import { encodeReply, MessageFramer, parseMessage, type IncomingMessage } from './wire/messages';

/** Fields the driver adds to any command that are not the command's own business. */
const GENERIC_FIELDS = new Set(['$db', 'lsid', '$clusterTime', '$readPreference', 'readConcern', 'writeConcern', 'comment', 'apiVersion', 'maxTimeMS']);

/**
 * The stand-in server. Node runs one command handler at a time and every handler is synchronous,
 * so each command (and so each single-document write) is atomic, as in MongoDB.
 */
export class StandinServer {
  readonly catalog = new Catalog();
  readonly cursors = new CursorStore();
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private readonly ttlMonitor: NodeJS.Timeout;

  /** `ttlMonitorSleepMs`: pause between TTL passes (mongod's ttlMonitorSleepSecs, 60 s by default). */
  constructor(options: { ttlMonitorSleepMs?: number } = {}) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.ttlMonitor = setInterval(() => this.catalog.removeExpired(Date.now()), options.ttlMonitorSleepMs ?? 60_000);
    this.ttlMonitor.unref();
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as net.AddressInfo).port));
    });
  }

  close(): Promise<void> {
    clearInterval(this.ttlMonitor);
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = this.nextConnectionId++;
    const framer = new MessageFramer();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const raw of framer.push(chunk)) {
          const message = parseMessage(raw);
          const reply = this.execute(message, connectionId);
          if (!message.moreToCome) socket.write(encodeReply(message, reply));
        }
      } catch {
        socket.destroy(); // an unparseable stream cannot be resynchronised
      }
    });
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  execute(message: IncomingMessage, connectionId: number): Document {
    const command = message.command;
    const name = Object.keys(command).find((key) => !GENERIC_FIELDS.has(key));
    const context: CommandContext = {
      catalog: this.catalog,
      cursors: this.cursors,
      database: typeof command.$db === 'string' ? command.$db : 'admin',
      connectionId,
    };
    try {
      if (!name) throw commandNotFound('');
      refuseTransactions(command);
      const handler = COMMANDS[name];
      if (!handler) throw commandNotFound(name);
      return handler(command, context);
    } catch (error) {
      if (error instanceof CommandError) return error.toReply();
      return { ok: 0, errmsg: error instanceof Error ? error.message : String(error), code: 1, codeName: 'InternalError' };
    }
  }
}
