import { describe, expect, it } from 'vitest';
import { cryptoQuote, engineRig, forexQuote, MINUTE, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

describe('ioc', () => {
  it('fills what the quote shows at once and cancels the rest, saying so', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3), quote('AAPL', T0 + SECOND, 100, 100.02, 5, 5)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, timeInForce: 'ioc' });
    expect(order).toMatchObject({
      status: 'canceled',
      filledQty: '300',
      reason: 'ioc: only part filled at once; the unfilled 200 was canceled',
      expiresAt: null,
    });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.00']);
    expect(rig.snapshot().portfolio.buyingPower).toBe('69994.00');
  });

  it('is filled, with no reason, when the whole order fills at once', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, timeInForce: 'ioc' })).toMatchObject({ status: 'filled', reason: null });
  });

  it('cancels an ioc limit that is not marketable, filling nothing', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99, 99.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.01', timeInForce: 'ioc' });
    expect(order).toMatchObject({ status: 'canceled', filledQty: '0', reason: 'ioc: nothing could fill at once; the unfilled 10 was canceled' });
    await rig.step();
    expect(rig.fills()).toEqual([]);
  });

  it('cancels an ioc order when there is no fresh quote to fill against', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('MSFT', T0 + 11 * SECOND, 400, 400.1)]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, timeInForce: 'ioc' });
    expect(order).toMatchObject({ status: 'canceled', reason: 'ioc: no fresh quote for AAPL to fill against; the unfilled 10 was canceled' });
  });

  it('cancels an ioc stop that a trade triggers while the quote is stale', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100.4, 100.45), trade('AAPL', T0 + 11 * SECOND, 100.5)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '100.50', timeInForce: 'ioc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({
      status: 'canceled',
      triggered: true,
      reason: 'ioc: no fresh quote for AAPL to fill against; the unfilled 10 was canceled',
    });
  });
});

describe('fok', () => {
  it('fills the whole order at once when the quote shows enough', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 5)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, timeInForce: 'fok' });
    expect(order).toMatchObject({ status: 'filled', filledQty: '500', reason: null });
    expect(rig.fillLines()).toEqual(['o-1 buy 500 AAPL @ 100.02 = 50010.00 fee 0.00']);
  });

  it('fills nothing and cancels when the whole order cannot fill at once', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3), quote('AAPL', T0 + SECOND, 100, 100.02, 5, 9)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, timeInForce: 'fok' });
    expect(order).toMatchObject({
      status: 'canceled',
      filledQty: '0',
      reason: 'fok: the whole order could not fill at once; the unfilled 500 was canceled',
    });
    await rig.step();
    expect(rig.fills()).toEqual([]);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '100000.00', buyingPower: '100000.00' });
  });

  it('leaves the displayed size to the next order when a fok cannot fill', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 400, timeInForce: 'fok' });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 300 })).toMatchObject({ status: 'filled' });
  });

  it('cancels a fok sell that the bid cannot take whole', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 1, 5)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 200, timeInForce: 'fok' });
    expect(sell).toMatchObject({ status: 'canceled', filledQty: '0' });
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ qty: '200' }]);
  });
});

describe('day and gtc', () => {
  const beforeClose = Date.parse('2026-11-03T20:59:00Z'); // 15:59 in New York
  const close = Date.parse('2026-11-03T21:00:00Z'); // 16:00 in New York (EST, UTC-5)

  it('expires a day order at the 16:00 New York close, before a later quote can fill it; gtc survives and fills', async () => {
    const rig = await engineRig([
      quote('AAPL', beforeClose, 100, 100.02),
      quote('AAPL', beforeClose + 30 * SECOND, 100, 100.02),
      quote('AAPL', close + SECOND, 98.4, 98.5),
    ]);
    await rig.step();
    const day = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    const gtc = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99', timeInForce: 'gtc' });
    expect(day).toMatchObject({ status: 'accepted', expiresAt: close });
    expect(gtc).toMatchObject({ status: 'accepted', expiresAt: null });

    await rig.step();
    expect(rig.order(day.id).status).toBe('accepted');

    await rig.step();
    expect(rig.order(day.id)).toMatchObject({
      status: 'expired',
      reason: 'day order expired at the 16:00 ET close',
      updatedAt: close,
      filledQty: '0',
    });
    expect(rig.order(gtc.id)).toMatchObject({ status: 'filled', avgFillPrice: '99.00' });
    expect(rig.fillLines()).toEqual(['o-2 buy 10 AAPL @ 99.00 = 990.00 fee 0.00']);
    expect(rig.snapshot().portfolio.buyingPower).toBe('99010.00');
  });

  it('keeps the fills of a partly filled day order when the rest expires', async () => {
    const rig = await engineRig([quote('AAPL', beforeClose, 100, 100.02, 5, 3), quote('AAPL', close, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    expect(order.status).toBe('partially_filled');
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'expired', filledQty: '300' });
    expect(rig.fills()).toHaveLength(1);
  });

  it('gives a day order placed after the close the next weekday close (Friday evening to Monday)', async () => {
    const fridayEvening = Date.parse('2026-11-06T21:30:00Z');
    const rig = await engineRig([quote('AAPL', fridayEvening, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '99' });
    expect(order.expiresAt).toBe(Date.parse('2026-11-09T21:00:00Z'));
  });

  it('expires crypto day orders at 00:00 UTC and forex day orders at the 17:00 New York roll', async () => {
    const rig = await engineRig([
      cryptoQuote('BTC-USD', beforeClose, 65_000, 65_010),
      forexQuote('EUR/USD', beforeClose, 1.05, 1.05002),
      forexQuote('EUR/USD', Date.parse('2026-11-03T22:00:00Z'), 1.05, 1.05002),
      cryptoQuote('BTC-USD', Date.parse('2026-11-04T00:00:00Z') + MINUTE, 65_000, 65_010),
    ]);
    await rig.step(2);
    const crypto = await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.1', type: 'limit', limitPrice: '60000' });
    const forex = await rig.place({ symbol: 'C:EURUSD', side: 'buy', qty: 1000, type: 'limit', limitPrice: '1.04' });
    expect(crypto.expiresAt).toBe(Date.parse('2026-11-04T00:00:00Z'));
    expect(forex.expiresAt).toBe(Date.parse('2026-11-03T22:00:00Z'));

    await rig.step();
    expect(rig.order(forex.id)).toMatchObject({ status: 'expired', reason: 'day order expired at the 17:00 ET forex roll' });
    expect(rig.order(crypto.id).status).toBe('accepted');

    await rig.step();
    expect(rig.order(crypto.id)).toMatchObject({ status: 'expired', reason: 'day order expired at 00:00 UTC' });
  });
});
