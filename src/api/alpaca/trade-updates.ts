// Alpaca's trade_updates stream at /stream, as Alpaca's paper host sends it: JSON frames;
// {"action":"authenticate","data":{"key_id","secret_key"}} (or {"action":"auth","key","secret"}),
// then {"action":"listen","data":{"streams":["trade_updates"]}}; then an event for each change of
// an order: new, fill, partial_fill, canceled, expired, replaced, rejected.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isWorking, type Engine, type FillView, type OrderView } from '../../engine/index.ts';
import { keyPairMatches, type AlpacaKeys } from './alpaca-dialect.ts';
import { alpacaOrderJson } from './alpaca-views.ts';

export const TRADE_UPDATES_PATH = '/stream';

/** The trade_updates event an order change is, or undefined (its fills speak for it). */
export function orderEvent(order: OrderView, seen: boolean): string | undefined {
  switch (order.status) {
    case 'canceled':
    case 'expired':
    case 'rejected':
      return order.status;
    case 'filled':
    case 'partially_filled':
      return undefined;
    default:
      // A working order heard of again was replaced in place (its qty or prices changed).
      return seen ? 'replaced' : 'new';
  }
}

export class TradeUpdates {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #engine: Engine;
  readonly #keys: AlpacaKeys | undefined;
  readonly #listeners = new Set<WebSocket>();
  /** The working orders heard of: one heard of again was replaced. An ended order is let go, so this holds only what works. */
  readonly #seen = new Set<string>();
  readonly #unsubscribe: (() => void)[];

  constructor(engine: Engine, keys: AlpacaKeys | undefined) {
    this.#engine = engine;
    this.#keys = keys;
    this.#unsubscribe = [
      engine.on('order', (order) => {
        const event = orderEvent(order, this.#seen.has(order.id));
        if (isWorking(order)) this.#seen.add(order.id);
        else this.#seen.delete(order.id);
        // Nobody listening: the order is only remembered, no frame made.
        if (event && this.#listeners.size > 0) this.#send({ event, order: alpacaOrderJson(order, engine), timestamp: new Date(order.updatedAt).toISOString() });
      }),
      engine.on('fill', (fill) => this.#fill(fill)),
    ];
  }

  /** Takes an upgrade to /stream (the Host check already passed). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#connected(ws));
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
  }

  #connected(ws: WebSocket): void {
    let authorized = false;
    ws.on('message', (data) => {
      let message: { action?: unknown; key?: unknown; secret?: unknown; data?: { key_id?: unknown; secret_key?: unknown; streams?: unknown } };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return ws.send(JSON.stringify({ stream: 'error', data: { error_message: 'a frame must be JSON' } }));
      }
      if (message.action === 'authenticate' || message.action === 'auth') {
        const key = String(message.data?.key_id ?? message.key ?? '');
        const secret = String(message.data?.secret_key ?? message.secret ?? '');
        authorized = keyPairMatches(this.#keys, key, secret);
        ws.send(JSON.stringify({ stream: 'authorization', data: { status: authorized ? 'authorized' : 'unauthorized', action: 'authenticate' } }));
        if (!authorized) ws.close(1008, 'unauthorized');
        return;
      }
      if (message.action === 'listen') {
        if (!authorized) return ws.send(JSON.stringify({ stream: 'authorization', data: { status: 'unauthorized', action: 'listen' } }));
        const streams = Array.isArray(message.data?.streams) ? (message.data.streams as unknown[]).map(String) : [];
        if (streams.includes('trade_updates')) this.#listeners.add(ws);
        else this.#listeners.delete(ws);
        ws.send(JSON.stringify({ stream: 'listening', data: { streams: streams.filter((stream) => stream === 'trade_updates') } }));
      }
    });
    ws.on('close', () => this.#listeners.delete(ws));
  }

  #fill(fill: FillView): void {
    const order = this.#engine.order(fill.orderId);
    if (!order || this.#listeners.size === 0) return;
    const position = this.#engine.snapshot({ recent: 0, equityPoints: 1 }).portfolio.positions.find((p) => p.symbol === fill.symbol)?.qty ?? '0';
    this.#send({
      // The fill that brings its order to its qty is a fill, one before it a partial_fill (both exact decimal text).
      event: (fill.orderFilledQty ?? order.filledQty) === order.qty ? 'fill' : 'partial_fill',
      execution_id: fill.id,
      order: alpacaOrderJson(order, this.#engine),
      timestamp: new Date(fill.time).toISOString(),
      price: fill.price,
      qty: fill.qty,
      position_qty: position,
    });
  }

  #send(data: Record<string, unknown>): void {
    const frame = JSON.stringify({ stream: 'trade_updates', data });
    for (const ws of this.#listeners) ws.send(frame);
  }
}
