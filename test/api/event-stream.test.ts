import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, TOKEN, type ApiRig } from './api-rig.ts';

interface SseEvent {
  event: string;
  id: string;
  data: any;
}

interface SseClient {
  status: number;
  contentType: string | undefined;
  events: SseEvent[];
  /** Resolves with the first event matching, already received or still to come. */
  next(match: (event: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves once the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens the stream and resolves once the server has sent its first comment (listeners are attached). */
function openStream(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const waiters: { match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }[] = [];
    let buffer = '';
    let endStream: () => void = () => {};
    const ended = new Promise<void>((done) => (endStream = done));
    const req: ClientRequest = httpRequest(`${url}/api/paper/events`, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' } }, (res) => {
      let opened = false;
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
          if (fields.event) {
            const event = { event: fields.event, id: fields.id ?? '', data: JSON.parse(fields.data ?? 'null') };
            events.push(event);
            for (const waiter of waiters.filter((w) => w.match(event))) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        }
        if (!opened) {
          opened = true;
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            events,
            next: (match) => {
              const seen = events.find(match);
              return seen ? Promise.resolve(seen) : new Promise((done) => waiters.push({ match, resolve: done }));
            },
            ended,
            close: () => req.destroy(),
          });
        }
      });
      res.on('end', () => endStream());
      res.on('close', () => endStream());
    });
    req.on('error', (error) => (req.destroyed ? endStream() : reject(error)));
    req.end();
  });
}

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('GET /api/paper/events', () => {
  it('streams the order and the fill of an order placed over HTTP, with ids and JSON data', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.5, 99.6)]);
    await api.rig.step();
    const stream = await openStream(api.api.url);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');

    const placed = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: '3', side: 'buy', order_type: 'limit', limit_price: '99.70' } });
    expect(placed.status).toBe(201);
    await api.rig.step();

    const fill = await stream.next((event) => event.event === 'fill');
    expect(fill.data).toMatchObject({ order_id: placed.json.id, symbol: 'AAPL', side: 'buy', qty: '3', price: '99.70', notional: '299.10', fee: '0.00', source: 'api' });
    const quoteEvent = await stream.next((event) => event.event === 'quote');
    expect(quoteEvent.data).toMatchObject({ symbol: 'AAPL', bid: '99.50', ask: '99.60' });
    const filledOrder = await stream.next((event) => event.event === 'order' && event.data.status === 'filled');
    expect(filledOrder.data.id).toBe(placed.json.id);

    // The replay has no events left: the market reports it ended, as a status event and a log line.
    const status = await stream.next((event) => event.event === 'status');
    expect(status.data).toMatchObject({ source: 'replay', state: 'ended' });
    await stream.next((event) => event.event === 'log');

    expect(stream.events.map((event) => event.event)).toEqual(['order', 'quote', 'fill', 'order', 'status', 'log']);
    expect(stream.events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    stream.close();
  });

  it('streams engine log lines as log events', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    const stream = await openStream(api.api.url);
    await api.request('POST', '/api/paper/order', { body: { symbol: 'ZZZZ', qty: 1, side: 'buy' } });
    const log = await stream.next((event) => event.event === 'log');
    expect(log.data).toMatchObject({ level: 'warn', message: 'order o-1 (buy ZZZZ) rejected: unknown symbol "ZZZZ"; add it to the watchlist first' });
    stream.close();
  });

  it('removes its engine listeners when the client goes, and ends open streams when the server closes', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.5, 99.6)]);
    const first = await openStream(api.api.url);
    const second = await openStream(api.api.url);
    first.close();
    await first.ended;
    await expect.poll(() => api!.logLines).toContain('event stream closed (1 open)');

    await api.rig.step();
    await second.next((event) => event.event === 'quote');
    expect(first.events).toEqual([]);

    await api.api.close();
    await second.ended;
    expect(api.logLines).toContain('event stream closed (0 open)');
  });
});

describe('event streams under load', () => {
  it('every client gets the same event with the same id (each event is serialized once, for all)', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.5, 99.6)]);
    const first = await openStream(api.api.url);
    const second = await openStream(api.api.url);
    await api.rig.step(2);
    await first.next((event) => event.event === 'log');
    await second.next((event) => event.event === 'log');
    expect(second.events).toEqual(first.events);
    first.close();
    second.close();
  });

  it('caps the clients: one past --api-max-streams gets a 503 naming the limit; a place frees when one leaves', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)], { maxEventStreams: 2 });
    const first = await openStream(api.api.url);
    const second = await openStream(api.api.url);
    const refused = await api.request('GET', '/api/paper/events');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json.error).toEqual({
      code: 'too_many_streams',
      message: 'This server already streams events to 2 clients (its limit); close one, or start paper-trader with a higher --api-max-streams.',
    });
    first.close();
    await expect.poll(() => api!.logLines).toContain('event stream closed (1 open)');
    const third = await openStream(api.api.url);
    expect(third.status).toBe(200);
    second.close();
    third.close();
  });

  it('a reader that stops reading is told it is too slow and closed, and the server lets go of what it held', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)], { maxUnsentBytes: 256 * 1024 });
    await api.rig.step();
    // A raw connection that sends the request, then reads nothing until told to.
    const url = new URL(api.api.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.pause();
    socket.write(`GET /api/paper/events HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    await expect.poll(() => api!.logLines.some((line) => line.startsWith('GET /api/paper/events 200'))).toBe(true);
    // Rejected orders: an order event and a log line each, never dropped like quotes.
    for (let i = 0; i < 40_000 && !api.logLines.some((line) => line.includes('too slow')); i++) {
      await api.rig.engine.placeOrder({ symbol: 'ZZZZ', side: 'buy', qty: 1, type: 'market' });
      // Events reach the streams once a turn of the event loop ends.
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(api.logLines).toContain('event stream client too slow: closed after 262144 unsent bytes');
    expect(api.logLines).toContain('event stream closed (0 open)');
    // What it is finally read ends with why it was closed.
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.resume();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received).toMatch(/event: error\ndata: \{"code":"too_slow","message":"This client fell 256 KB behind the event stream and was closed; reconnect, read faster/);
  }, 60_000);
});
