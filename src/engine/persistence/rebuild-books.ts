import { formatCents } from '../money.ts';
import { Ledger } from '../portfolio/ledger.ts';
import { JournalError, type RecoveredAccount } from './journal.ts';
import { messageOf } from '../errors.ts';

/**
 * Rebuilds the books by replaying every fill of the account through a fresh ledger (the same
 * exact arithmetic that made them), then checks the result against the books saved with the
 * last commit: any difference means the store was damaged, and loading it would be a lie.
 */
export function rebuildBooks(account: RecoveredAccount, name: string): Ledger {
  const ledger = new Ledger(account.startingCash);
  const damaged = (what: string): JournalError =>
    new JournalError(`account "${name}" is damaged (${what}): move its file aside to start fresh, or restore a backup`, 'damaged');
  for (const fill of account.fills) {
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
  const saved = account.checkpoint;
  const money: [string, bigint, bigint][] = [
    ['cash', ledger.cash, saved.cash],
    ['realized PnL', ledger.realizedPnl, saved.realizedPnl],
    ['fees', ledger.feesPaid, saved.feesPaid],
  ];
  for (const [what, rebuilt, recorded] of money) {
    if (rebuilt !== recorded) throw damaged(`its fills give ${what} $${formatCents(rebuilt)} but $${formatCents(recorded)} was saved`);
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
