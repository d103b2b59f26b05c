import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.ts';
import { generateApiToken, startHttpApi } from '../../src/api/index.ts';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, expectErrorShape, send, TOKEN, type ApiRig } from './api-rig.ts';

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const ORDER = { symbol: 'AAPL', qty: 1, side: 'buy' };

describe('HTTP API security', () => {
  it('answers 401 without a token, with a wrong one or another scheme, and places no order', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    const attempts = [
      await api.request('POST', '/api/paper/order', { body: ORDER, token: false }),
      await api.request('POST', '/api/paper/order', { body: ORDER, token: `${TOKEN}x` }),
      await api.request('POST', '/api/paper/order', { body: ORDER, token: TOKEN.slice(0, -1) }),
      await api.request('POST', '/api/paper/order', { body: ORDER, token: false, headers: { authorization: `Basic ${TOKEN}` } }),
      await api.request('GET', '/api/paper/portfolio', { token: '' }),
      await api.request('GET', '/api/paper/nowhere', { token: false }),
    ];
    for (const reply of attempts) {
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer');
      expect(expectErrorShape(reply).code).toBe('unauthorized');
    }
    expect(api.rig.snapshot().orders).toEqual([]);
  });

  it('answers 403 to a Host header it does not serve (DNS rebinding), even with the right token', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    const port = api.api.port;
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`]) {
      const reply = await api.request('GET', '/api/paper/status', { headers: { host } });
      expect(reply.status, host).toBe(403);
      expect(expectErrorShape(reply).code).toBe('forbidden_host');
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await api.request('GET', '/api/paper/status', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('accepts exactly the configured allowedHosts', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)], { allowedHosts: ['paper.test:8080'] });
    expect((await api.request('GET', '/api/paper/status', { headers: { host: 'paper.test:8080' } })).status).toBe(200);
    expect((await api.request('GET', '/api/paper/status')).status).toBe(403);
  });

  it('never sends CORS headers, even to a request with an Origin', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    const replies = [
      await api.request('GET', '/api/paper/status', { headers: { origin: 'http://evil.example' } }),
      await api.request('OPTIONS', '/api/paper/order', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } }),
    ];
    for (const reply of replies) {
      expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
    expect(replies[1]!.status).toBe(405);
  });

  it('keeps the token out of every response and log line', async () => {
    api = await apiRig([quote('AAPL', T0, 100, 100.02)]);
    await api.rig.step();
    const replies = [
      await api.request('GET', '/api/paper/status'),
      await api.request('POST', '/api/paper/order', { body: { ...ORDER, symbol: TOKEN } }),
      await api.request('POST', '/api/paper/order', { body: { ...ORDER, [TOKEN]: 1 } }),
      await api.request('GET', `/api/paper/${TOKEN}`),
      await api.request('DELETE', `/api/paper/orders/${TOKEN}`),
      await api.request('GET', '/api/paper/status', { token: `${TOKEN}0` }),
    ];
    for (const reply of replies) {
      expect(reply.text).not.toContain(TOKEN);
      expect(JSON.stringify(reply.headers)).not.toContain(TOKEN);
    }
    expect(api.logLines.length).toBeGreaterThan(0);
    for (const line of api.logLines) expect(line).not.toContain(TOKEN);
  });

  it('refuses to start with a missing or weak token', async () => {
    const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'] });
    await expect(startHttpApi(engine, { token: '' })).rejects.toThrow('the API token must be at least 16 characters without spaces: use generateApiToken()');
    await expect(startHttpApi(engine, { token: 'short' })).rejects.toThrow(/at least 16 characters/);
    await expect(startHttpApi(engine, {} as never)).rejects.toThrow(/at least 16 characters/);
  });

  it('generates distinct url-safe tokens that the server accepts', async () => {
    const token = generateApiToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateApiToken()).not.toBe(token);
    const engine = await createEngine({ market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'] });
    const server = await startHttpApi(engine, { token });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await send(server.url, undefined, 'GET', '/api/paper/status', { token })).status).toBe(200);
      expect((await send(server.url, undefined, 'GET', '/api/paper/status')).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
