// A fill as the journal stores it: every field back as it went in, and rows saved by earlier
// versions (without the fields that came later) still read.
import { describe, expect, it } from 'vitest';
import { fillFromRecord, fillToRecord } from '../../src/engine/persistence/records.ts';
import type { Fill } from '../../src/engine/execution/paper-executor.ts';

const FILL: Fill = {
  id: 'f-7', orderId: 'o-3', symbol: 'X:BTCUSD', side: 'sell', qty: 100_000_000n, price: 95_010_000_000n, notional: 950_010n, fee: 0n, realizedPnl: -123n,
  time: 1_796_508_357_000, source: 'api', lotsTaken: [{ owner: 'user', qty: 100_000_000n }], marketDelayMs: 900_000, orderFilledQty: 300_000_000n,
};

describe('fill records', () => {
  it('read back every field written, the order’s filled qty with it included', () => {
    expect(fillFromRecord(fillToRecord(FILL))).toEqual(FILL);
    // An order that filled at once: its filled qty is the fill's, written as 0 (no bigint to read at a restart).
    const whole = { ...FILL, orderFilledQty: FILL.qty };
    expect(JSON.parse(fillToRecord(whole)).at(-1)).toBe(0);
    expect(fillFromRecord(fillToRecord(whole))).toEqual(whole);
  });

  it('read rows saved before the later fields: without the order’s filled qty, the feed’s delay or the lots', () => {
    const row = JSON.parse(fillToRecord(FILL)) as unknown[];
    const { orderFilledQty: _filled, ...withoutFilled } = FILL;
    expect(fillFromRecord(JSON.stringify(row.slice(0, 13)))).toEqual(withoutFilled);
    const { marketDelayMs: _delay, lotsTaken: _lots, ...oldest } = withoutFilled;
    expect(fillFromRecord(JSON.stringify(row.slice(0, 11)))).toEqual(oldest);
    expect(() => fillFromRecord(JSON.stringify([...row, 'extra']))).toThrow(/fields/);
    expect(() => fillFromRecord(JSON.stringify([...row.slice(0, 13), 'not a number']))).toThrow(/bad field 14/);
  });
});
