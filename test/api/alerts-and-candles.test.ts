// The alerts and candles routes: set, list and remove alerts; an alert going off on the event
// stream's neighbour, the engine; a chart's candles; bad requests answered in one sentence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

let api: ApiRig;
beforeAll(async () => {
  api = await apiRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 106, 106.02)]);
  await api.rig.step();
});
afterAll(() => api.close());

describe('/api/paper/alerts', () => {
  it('sets, lists and removes alerts; one the price reaches goes off and leaves the list', async () => {
    const set = await api.request('POST', '/api/paper/alerts', { body: { symbol: 'AAPL', kind: 'above', price: '105' } });
    expect(set.status).toBe(201);
    expect(set.json).toMatchObject({ id: 'a-1', symbol: 'AAPL', kind: 'above', price: '105.00', created_at: T0 });
    const fill = await api.request('POST', '/api/paper/alerts', { body: { symbol: 'MSFT', kind: 'fill' } });
    expect((await api.request('GET', '/api/paper/alerts')).json.alerts.map((a: { id: string }) => a.id)).toEqual(['a-1', 'a-2']);
    const fired: string[] = [];
    api.rig.engine.on('alert', (event) => fired.push(event.message));
    await api.rig.step();
    expect(fired).toEqual(['alert: AAPL rose to 105.00 (now 106.01)']);
    expect((await api.request('DELETE', `/api/paper/alerts/${fill.json.id}`)).json).toMatchObject({ id: 'a-2', kind: 'fill', price: null });
    expect((await api.request('GET', '/api/paper/alerts')).json.alerts).toEqual([]);
  });

  it('answers a request that cannot work with a 400 or 404 and one sentence', async () => {
    const reached = await api.request('POST', '/api/paper/alerts', { body: { symbol: 'AAPL', kind: 'below', price: '200' } });
    expect(reached.status).toBe(400);
    expect(reached.json.error.message).toMatch(/^AAPL is at \d+\.\d+, already at or below 200\.00: set a price under it\.$/);
    const kind = await api.request('POST', '/api/paper/alerts', { body: { symbol: 'AAPL', kind: 'sideways' } });
    expect(kind.json.error.message).toBe('"kind" must be above, below or fill.');
    const missing = await api.request('DELETE', '/api/paper/alerts/a-99');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'alert_not_found', message: 'No alert has the id "a-99"; list them with GET /api/paper/alerts.' });
  });
});

describe('/api/paper/candles/{symbol}', () => {
  it('gives the candles of a range, and refuses a range it does not draw', async () => {
    const reply = await api.request('GET', '/api/paper/candles/AAPL?range=5D');
    expect(reply.json).toMatchObject({ symbol: 'AAPL', range: '5D', minutes: 30, source: 'recorded' });
    expect(reply.json.candles[0]).toMatchObject({ open: '100.01', high: '106.01', low: '100.01', close: '106.01' });
    const bad = await api.request('GET', '/api/paper/candles/AAPL?range=2Y');
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('"range" must be 1D, 5D or 1M.');
  });
});
