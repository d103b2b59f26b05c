// Price and fill alerts: a price alert goes off once when the mark reaches it, a fill alert at each
// fill of its symbol; both are kept with the account; a request that cannot work is refused in one line.
import { describe, expect, it } from 'vitest';
import type { AlertFired } from '../../src/engine/index.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const rigs = accountRigs();

const heard = (engine: { on: (name: 'alert', listener: (fired: AlertFired) => void) => () => void }): string[] => {
  const messages: string[] = [];
  engine.on('alert', (fired) => messages.push(fired.message));
  return messages;
};

describe('price alerts', () => {
  it('go off once when the mark reaches the price, above or below, and then are gone', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02), quote('AAPL', T0 + 2 * SECOND, 102, 102.02), quote('AAPL', T0 + 3 * SECOND, 98, 98.02)]);
    await rig.step();
    const messages = heard(rig.engine);
    const above = rig.engine.addAlert({ symbol: 'aapl', kind: 'above', price: '101.5' });
    rig.engine.addAlert({ symbol: 'AAPL', kind: 'below', price: 99 });
    expect(above).toMatchObject({ symbol: 'AAPL', kind: 'above', price: '101.50' });
    await rig.step();
    expect(messages).toEqual([]);
    await rig.step();
    expect(messages).toEqual(['alert: AAPL rose to 101.50 (now 102.01)']);
    expect(rig.engine.alerts().map((alert) => alert.kind)).toEqual(['below']);
    await rig.step();
    expect(messages).toEqual(['alert: AAPL rose to 101.50 (now 102.01)', 'alert: AAPL fell to 99.00 (now 98.01)']);
    expect(rig.engine.alerts()).toEqual([]);
  });

  it('refuses in one line a price the mark has already reached, a missing price, and a price on a fill alert', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'above', price: '99' })).toThrow('AAPL is at 100.01, already at or above 99.00: set a price over it');
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'below', price: '100.5' })).toThrow('AAPL is at 100.01, already at or below 100.50: set a price under it');
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'above' })).toThrow('an above alert needs a price above 0, like 190.50');
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'above', price: 'abc' })).toThrow('an above alert needs a price above 0, like 190.50 (got "abc")');
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'fill', price: '1' })).toThrow('a fill alert takes no price');
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'soon' as never })).toThrow('"soon" is not an alert kind: use above, below or fill');
    expect(() => rig.engine.removeAlert('a-9')).toThrow('no alert "a-9"');
    expect(rig.engine.alerts()).toEqual([]);
  });
});

describe('fill alerts', () => {
  it('go off at each fill of the symbol, and stay', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02)]);
    await rig.step();
    const messages = heard(rig.engine);
    rig.engine.addAlert({ symbol: 'AAPL', kind: 'fill' });
    expect(() => rig.engine.addAlert({ symbol: 'AAPL', kind: 'fill' })).toThrow('AAPL already has a fill alert');
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: '10', type: 'market' });
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: '4', type: 'market' });
    expect(messages).toEqual(['alert: AAPL filled: buy 10 @ 100.02 (o-1)', 'alert: AAPL filled: sell 4 @ 100.00 (o-2)']);
    expect(rig.engine.alerts()).toHaveLength(1);
  });
});

describe('alerts kept with the account', () => {
  it('come back after a restart; one that went off, or was removed, does not', async () => {
    const events = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 110, 110.02)];
    const first = await rigs.open(events);
    await first.step();
    first.engine.addAlert({ symbol: 'AAPL', kind: 'above', price: '105' });
    first.engine.addAlert({ symbol: 'AAPL', kind: 'below', price: '90' });
    const removed = first.engine.addAlert({ symbol: 'MSFT', kind: 'fill' });
    first.engine.removeAlert(removed.id);
    await first.step();
    await rigs.close(first);
    const second = await rigs.open(events);
    expect(second.engine.alerts()).toMatchObject([{ id: 'a-2', symbol: 'AAPL', kind: 'below', price: '90.00' }]);
    // Ids go on from the saved ones: never one of an alert waiting.
    expect(second.engine.addAlert({ symbol: 'AAPL', kind: 'fill' }).id).toBe('a-3');
  });
});
