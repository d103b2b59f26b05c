// Sale conditions decide what a stock print may update (trade-conditions.ts): only one that may
// set the last price marks positions, shows as the last, triggers stops or fills on a print.
import { describe, expect, it } from 'vitest';
import { SALE_CONDITIONS, stockPrintEligibility } from '../../src/engine/market/trade-conditions.ts';
import { engineRig, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

const ODD_LOT = 37;
const FORM_T = 12;
const INTERMARKET_SWEEP = 14;

describe('trade conditions', () => {
  it('an odd-lot print 25 dollars below the NBBO moves neither the mark nor the last, and triggers no sell stop', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 230, 230.02),
      trade('AAPL', T0 + SECOND, 230.01),
      trade('AAPL', T0 + 2 * SECOND, 205, 3, [ODD_LOT]),
    ]);
    await rig.step(2);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '229' });
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'accepted', triggered: false });
    const snapshot = rig.snapshot();
    expect(snapshot.quotes[0]).toMatchObject({ last: '230.01', mark: '230.01' });
    expect(snapshot.portfolio.positions[0]).toMatchObject({ lastPrice: '230.01', marketValue: '2300.10' });
  });

  it('a print whose conditions all allow it (an intermarket sweep, trade-through exempt) marks and triggers like a regular sale', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02), trade('AAPL', T0 + SECOND, 228.9, 300, [INTERMARKET_SWEEP, 41])]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '229' });
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '230.00' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ last: '228.90' });
  });

  it.each([
    [2, 'Average Price Trade'],
    [7, 'Cash Sale'],
    [10, 'Derivatively Priced'],
    [13, 'Extended Hours (Sold Out Of Sequence)'],
    [16, 'Market Center Official Open'],
    [20, 'Next Day'],
    [21, 'Price Variation Trade'],
    [22, 'Prior Reference Price'],
    [29, 'Seller'],
    [32, 'Sold (Out Of Sequence)'],
    [37, 'Odd Lot Trade'],
    [52, 'Contingent Trade'],
    [53, 'Qualified Contingent Trade'],
  ])('a print with condition %i (%s) does not set the last price', async (code, name) => {
    expect(SALE_CONDITIONS.get(code)?.name).toBe(name);
    const rig = await engineRig([trade('AAPL', T0, 100), trade('AAPL', T0 + SECOND, 90, 100, [code])]);
    await rig.step(2);
    expect(rig.snapshot().quotes[0]).toMatchObject({ last: '100.00', mark: '100.00' });
  });

  it('one condition that keeps a print from the last is enough, whatever the others allow', () => {
    expect(stockPrintEligibility([INTERMARKET_SWEEP, ODD_LOT])).toMatchObject({ last: false, volume: true });
    expect(stockPrintEligibility([INTERMARKET_SWEEP, 15])).toMatchObject({ last: false, volume: false });
    // A code the table does not know restricts nothing: an unknown flag never hides a real trade.
    expect(stockPrintEligibility([999])).toMatchObject({ last: true, highLow: true, volume: true });
  });

  it('on a trades-only symbol an odd-lot print fills no resting limit; the next regular print does', async () => {
    const rig = await engineRig([trade('IWM', T0, 100), trade('IWM', T0 + SECOND, 98, 50, [ODD_LOT]), trade('IWM', T0 + 2 * SECOND, 98.5, 300)], {
      symbols: ['IWM'],
    });
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '99', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ filledQty: '0' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '99.00' });
  });

  it('an extended-hours print (Form T) shows as the extended last, never as the regular last or the mark', async () => {
    const rig = await engineRig([trade('AAPL', T0, 230), trade('AAPL', T0 + SECOND, 231.5, 100, [FORM_T]), trade('AAPL', T0 + 2 * SECOND, 230.1)]);
    await rig.step(2);
    expect(rig.snapshot().quotes[0]).toMatchObject({ last: '230.00', extendedLast: '231.50', mark: '230.00' });
    await rig.step();
    // A newer regular print is the last again: the extended one is old news.
    expect(rig.snapshot().quotes[0]).toMatchObject({ last: '230.10', extendedLast: null });
  });

  it('counts a print toward volume only when its conditions do (odd lots yes, an official close no)', async () => {
    const rig = await engineRig([trade('AAPL', T0, 230, 100), trade('AAPL', T0 + SECOND, 230, 7, [ODD_LOT]), trade('AAPL', T0 + 2 * SECOND, 230, 5000, [15])]);
    await rig.step(3);
    expect(rig.snapshot().quotes[0]).toMatchObject({ volume: '107' });
  });
});
