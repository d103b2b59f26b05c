import { formatUsd } from '../money.ts';
import { chargeBorrowFee, Ledger, payDividend, splitPosition } from '../portfolio/ledger.ts';
import type { ActionRecord } from '../portfolio/corporate-actions.ts';
import { JournalError, type RecoveredAccount } from './journal.ts';
import { messageOf } from '../errors.ts';

/**
 * Rebuilds the books by replaying every fill of the account through a fresh ledger (the same
 * exact arithmetic that made them), then checks the result against the books saved with the
 * last commit: any difference means the store was damaged, and loading it would be a lie.
 */
export function rebuildBooks(account: RecoveredAccount, name: string): Ledger {
  const ledger = new Ledger(account.startingCash, { shorts: account.kind === 'margin' });
  const damaged = (what: string): JournalError =>
    new JournalError(`account "${name}" is damaged (${what}): move its file aside to start fresh, or restore a backup`, 'damaged');
  const actions = account.actions ?? [];
  let next = 0;
  // Each split or dividend goes back in its place among the fills.
  const applyActionsUpTo = (fills: number): void => {
    for (; next < actions.length && actions[next]!.afterFills <= fills; next++) {
      const action = actions[next]!;
      let problem: string | undefined;
      try {
        problem = applyAction(ledger, action);
      } catch (error) {
        problem = `${action.kind} ${action.id} cannot be applied: ${messageOf(error)}`;
      }
      if (problem) throw damaged(problem);
    }
  };
  for (const [index, fill] of account.fills.entries()) {
    applyActionsUpTo(index);
    let accounting;
    try {
      accounting = ledger.apply({ symbol: fill.symbol, side: fill.side, qty: fill.qty, price: fill.price, fee: fill.fee });
    } catch (error) {
      throw damaged(`fill ${fill.id} cannot be applied: ${messageOf(error)}`);
    }
    if (accounting.notional !== fill.notional || accounting.realizedPnl !== fill.realizedPnl) {
      throw damaged(`fill ${fill.id} does not add up`);
    }
  }
  applyActionsUpTo(Number.POSITIVE_INFINITY);
  const saved = account.checkpoint;
  const money: [string, bigint, bigint][] = [
    ['cash', ledger.cash, saved.cash],
    ['realized PnL', ledger.realizedPnl, saved.realizedPnl],
    ['fees', ledger.feesPaid, saved.feesPaid],
  ];
  for (const [what, rebuilt, recorded] of money) {
    if (rebuilt !== recorded) throw damaged(`its fills give ${what} ${formatUsd(rebuilt)} but ${formatUsd(recorded)} was saved`);
  }
  const symbols = new Set([...ledger.positions.keys(), ...saved.positions.keys()]);
  for (const symbol of symbols) {
    const rebuilt = ledger.positions.get(symbol);
    const recorded = saved.positions.get(symbol);
    if (rebuilt?.qty !== recorded?.qty || rebuilt?.costBasis !== recorded?.costBasis) {
      throw damaged(`its fills do not give the saved position in ${symbol}`);
    }
  }
  return ledger;
}

/** Applies a saved split or dividend payment to the ledger; what does not fit the books is named. */
export function applyAction(ledger: Ledger, action: ActionRecord): string | undefined {
  if (action.kind === 'split') {
    if (ledger.positionQty(action.symbol) !== action.qtyBefore) return `split ${action.id} of ${action.symbol} does not match the position it split`;
    splitPosition(ledger, action.symbol, action.qtyAfter);
  } else if (action.kind === 'payment') {
    payDividend(ledger, action.symbol, action.amount);
  } else if (action.kind === 'borrow_fee') {
    chargeBorrowFee(ledger, action.symbol, action.amount);
  }
  return undefined;
}
