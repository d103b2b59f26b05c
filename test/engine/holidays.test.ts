// Holidays and early closes from Polygon's upcoming market status (the recorded sample: 2022's
// Thanksgiving closed on Thursday 24 November, an early close at 13:00 ET on Friday 25 November).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeOpen, ReportedMarketHours } from '../../src/engine/market/market-hours.ts';
import { holidaysFrom } from '../../src/engine/market/polygon-schema.ts';
import { SAMPLES_DIR } from '../helpers/fake-polygon.ts';

const hoursWithSample = (): ReportedMarketHours => {
  const hours = new ReportedMarketHours();
  hours.holidays.set(holidaysFrom(JSON.parse(readFileSync(`${SAMPLES_DIR}rest-market-upcoming.json`, 'utf8'))));
  return hours;
};
const at = (iso: string): number => Date.parse(iso);

describe('the holiday calendar', () => {
  it('reads every stock holiday and early close of the sample, by New York date', () => {
    const days = holidaysFrom(JSON.parse(readFileSync(`${SAMPLES_DIR}rest-market-upcoming.json`, 'utf8')));
    expect(days.get('2022-11-24')).toEqual({ name: 'Thanksgiving', closed: true });
    expect(days.get('2022-11-25')).toEqual({ name: 'Thanksgiving', closed: false, closesAt: at('2022-11-25T18:00:00.000Z') });
    expect(days.get('2022-12-26')).toEqual({ name: 'Christmas', closed: true });
  });

  it('keeps stocks closed on a holiday and after an early close; crypto trades on', () => {
    const hours = hoursWithSample();
    expect(hours.isOpen('stock', at('2022-11-24T16:00:00Z'))).toBe(false); // 11:00 ET on Thanksgiving
    expect(hours.isOpen('crypto', at('2022-11-24T16:00:00Z'))).toBe(true);
    expect(hours.isOpen('stock', at('2022-11-25T17:59:00Z'))).toBe(true); // 12:59 ET
    expect(hours.isOpen('stock', at('2022-11-25T18:00:00Z'))).toBe(false); // 13:00 ET: the early close
    expect(hours.isOpen('stock', at('2022-11-23T16:00:00Z'))).toBe(true); // an ordinary Wednesday
  });

  it('has no extended hours on a holiday, and after hours of four hours after an early close', () => {
    const hours = hoursWithSample();
    expect(hours.isExtendedOpen(at('2022-11-24T13:00:00Z'))).toBe(false); // 8:00 ET on Thanksgiving
    expect(hours.isExtendedOpen(at('2022-11-25T13:00:00Z'))).toBe(true); // 8:00 ET, the pre-market
    expect(hours.isExtendedOpen(at('2022-11-25T18:30:00Z'))).toBe(true); // 13:30 ET, after the early close
    expect(hours.isExtendedOpen(at('2022-11-25T22:30:00Z'))).toBe(false); // 17:30 ET: after hours ended at 17:00
    expect(hours.isExtendedOpen(at('2022-11-23T22:30:00Z'))).toBe(true); // 17:30 ET on an ordinary Wednesday
  });

  it('an order placed before a holiday waits over it, for the next session', () => {
    const hours = hoursWithSample();
    expect(describeOpen(hours.nextOpen('stock', at('2022-11-23T22:00:00Z')))).toBe('Fri 09:30 ET');
    expect(describeOpen(hours.nextOpen('stock', at('2022-12-23T22:00:00Z')))).toBe('Tue 09:30 ET'); // Christmas observed on Monday
  });

  it('a day order expires at an early close, and one placed the evening before a holiday at the next session close', () => {
    const hours = hoursWithSample();
    expect(hours.dayOrderExpiry('stock', at('2022-11-25T15:00:00Z'))).toEqual({ at: at('2022-11-25T18:00:00Z'), why: 'the 13:00 ET early close (Thanksgiving)' });
    expect(hours.dayOrderExpiry('stock', at('2022-11-23T22:00:00Z'))).toEqual({ at: at('2022-11-25T18:00:00Z'), why: 'the 13:00 ET early close (Thanksgiving)' });
    expect(hours.dayOrderExpiry('stock', at('2022-12-23T22:00:00Z'))).toEqual({ at: at('2022-12-27T21:00:00Z') });
    expect(hours.dayOrderExpiry('stock', at('2022-11-22T15:00:00Z'))).toEqual({ at: at('2022-11-22T21:00:00Z') });
  });
});
