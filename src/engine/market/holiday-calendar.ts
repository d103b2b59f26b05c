// The stock exchanges' holidays and early closes, as the data provider lists them (Polygon's
// upcoming market status, PROTOCOL.md §3.8 and docs/polygon-plans.md §6): a day order expires at
// an early close, and an order placed before a holiday waits over it.

export interface SpecialDay {
  readonly name: string;
  /** Closed all day. */
  readonly closed: boolean;
  /** An early close, Unix ms. */
  readonly closesAt?: number;
}

const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The New York calendar date of an instant, "YYYY-MM-DD". */
export const newYorkDate = (ms: number): string => NEW_YORK_DATE.format(ms);

export class HolidayCalendar {
  #days = new Map<string, SpecialDay>();

  /** Replaces what is known with `days`, by New York date ("YYYY-MM-DD"). */
  set(days: ReadonlyMap<string, SpecialDay>): void {
    this.#days = new Map(days);
  }

  /** The special day `ms` falls on, if any. */
  dayOf(ms: number): SpecialDay | undefined {
    return this.#days.size === 0 ? undefined : this.#days.get(newYorkDate(ms));
  }
}
