import { addDays } from '../market/trading-day.ts';
import type { ActionRecord, AnnouncedActions, DividendEvent, SplitEvent } from './corporate-actions.ts';

export type DueAction =
  | { kind: 'split'; event: SplitEvent }
  | { kind: 'dividend'; event: DividendEvent }
  | { kind: 'payment'; owed: Extract<ActionRecord, { kind: 'dividend' }> };

/**
 * The announced actions the account has still to meet, and the dividends it is owed. An event
 * dated on or before `after` (the day of the account's last fill or action when it was loaded)
 * belongs to the past the books already show; each event is met once (by its id), and a dividend
 * owed is paid once.
 */
export class ActionCalendar {
  readonly #splits = new Map<string, SplitEvent>();
  readonly #dividends = new Map<string, DividendEvent>();
  /** Event ids met (applied, or passed with nothing held). */
  readonly #met = new Set<string>();
  readonly #owed = new Map<string, Extract<ActionRecord, { kind: 'dividend' }>>();
  #after: string | undefined;

  constructor(records: readonly ActionRecord[], after: string | undefined) {
    this.#after = after;
    for (const record of records) this.record(record);
  }

  /** The day after which events are still to meet (YYYY-MM-DD), if any. */
  get after(): string | undefined {
    return this.#after;
  }

  /** A new account (or one that never traded) meets only what comes from `date` on. */
  startAt(date: string): void {
    this.#after ??= previousDay(date);
  }

  add(announced: AnnouncedActions): void {
    for (const split of announced.splits) this.#splits.set(split.id, split);
    for (const dividend of announced.dividends) this.#dividends.set(dividend.id, dividend);
  }

  /** What the account did about an action (loaded, or just done). */
  record(record: ActionRecord): void {
    if (record.kind === 'borrow_fee') return;
    if (record.kind === 'payment') {
      this.#owed.delete(record.source);
      return;
    }
    this.#met.add(record.source);
    if (record.kind === 'dividend') this.#owed.set(record.id, record);
  }

  /** An event met with nothing to do (nothing held at its date). */
  pass(id: string): void {
    this.#met.add(id);
  }

  /**
   * What is due by `date`, oldest first: on each day, splits, then dividends owed from the shares
   * held (its ex-date), then payments (its pay date).
   */
  due(date: string): DueAction[] {
    const after = this.#after ?? previousDay(date);
    const open = (id: string, day: string): boolean => !this.#met.has(id) && day > after && day <= date;
    const due: { day: string; rank: number; action: DueAction }[] = [];
    for (const event of this.#splits.values()) if (open(event.id, event.date)) due.push({ day: event.date, rank: 0, action: { kind: 'split', event } });
    for (const event of this.#dividends.values()) if (open(event.id, event.exDate)) due.push({ day: event.exDate, rank: 1, action: { kind: 'dividend', event } });
    for (const owed of this.#owed.values()) if (owed.payDate <= date) due.push({ day: owed.payDate, rank: 2, action: { kind: 'payment', owed } });
    return due.sort((a, b) => (a.day === b.day ? a.rank - b.rank : a.day < b.day ? -1 : 1)).map((entry) => entry.action);
  }
}

/** The calendar day before a YYYY-MM-DD date. */
export const previousDay = (date: string): string => addDays(date, -1);
