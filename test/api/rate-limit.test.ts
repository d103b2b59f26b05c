import { afterEach, describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../src/api/rate-limit.ts';
import { quote, T0 } from '../helpers/engine-rig.ts';
import { apiRig, expectErrorShape, type ApiRig } from './api-rig.ts';

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client spends its configured burst', async () => {
    // A refill of one request per ~17 minutes: nothing refills while the test runs.
    api = await apiRig([quote('AAPL', T0, 100, 100.02)], { rateLimit: { ratePerSecond: 0.001, burst: 3 } });
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/api/paper/status')).status).toBe(200);
    const limited = await api.request('POST', '/api/paper/order', { body: { symbol: 'AAPL', qty: 1, side: 'buy' } });
    expect(limited.status).toBe(429);
    expect(expectErrorShape(limited)).toEqual({ code: 'rate_limited', message: 'Too many requests from this client; retry in 1000 s.' });
    expect(limited.headers['retry-after']).toBe('1000');
    expect(api.rig.snapshot().orders).toEqual([]);
  });

  it('refills a bucket at the configured rate and keeps clients apart', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 10, burst: 2 }, () => now);
    expect([limiter.take('a').ok, limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true, false]);
    expect(limiter.take('b').ok).toBe(true);
    now += 100;
    expect([limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, false]);
    now += 10_000;
    expect([limiter.take('a').ok, limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true, false]);
  });

  it('lets one client place thousands of orders in a second by default', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({}, () => now);
    let passed = 0;
    for (let i = 0; i < 5_000; i++) {
      now += 0.2; // 5,000 requests/s
      if (limiter.take('127.0.0.1').ok) passed++;
    }
    expect(passed).toBe(5_000);
  });

  it('refuses a rate limit that would lock everyone out, in one line', () => {
    expect(() => new TokenBucketLimiter({ ratePerSecond: 0 })).toThrow('rateLimit.ratePerSecond must be a number > 0, got 0');
    expect(() => new TokenBucketLimiter({ burst: 0.5 })).toThrow('rateLimit.burst must be a number >= 1, got 0.5');
  });
});
